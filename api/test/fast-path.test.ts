import type { GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, academicYearOf, londonMidnight } from '../../addin/src/teams/dates.js';
import { buildApiSchema } from '../src/app/schema.js';
import { OVERDUE_VIEW_FIELDS } from '../src/notes/overdue-notes.queries.js';
import { NOTE_VIEW_FIELDS } from '../src/notes/note.queries.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { declaredFieldResolvers } from '../src/platform/graphql/selection.js';
import { VISIT_LIST_VIEW_FIELDS } from '../src/visits/visit.queries.js';
import {
  declaredVariables,
  documentForRootField,
  documentOf,
  frontEndOperations,
  resolversOutside,
  typesReached,
  type FrontEndOperation,
} from './support/front-end-operations.js';
import { anyViewStatement, pathOf, type HotRoot } from './support/read-view-sql.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testClock, testToday } from './support/test-clock.js';

/**
 * The fast path, as the front ends use it (issue: "a field missing from
 * VISIT_LIST_VIEW_FIELDS silently sends requests down the slow path"). Every
 * operation the Outlook add-in and the Teams app send (read from addin/src, as
 * graphql-codegen reads them) that asks for the visit list, a note or the overdue
 * report is sent here with the variables the front end sends, and must be answered
 * by its read view: ONE statement of the view's shape, and nothing the ORM builds
 * (see support/read-view-sql.ts). A field added to a front-end document that the
 * views do not serve fails this file, naming the field resolver to add to the map.
 *
 * What is not on the fast path is listed below with the reason; a query listed
 * that the views come to serve fails too, so the list stays true.
 */

/** The root fields read views serve, with the map selectionWithin checks. */
const VIEW_FIELDS: Record<HotRoot, [name: string, ReadonlyMap<string, readonly string[]>]> = {
  visits: ['VISIT_LIST_VIEW_FIELDS (visits/visit.queries.ts)', VISIT_LIST_VIEW_FIELDS],
  note: ['NOTE_VIEW_FIELDS (notes/note.queries.ts)', NOTE_VIEW_FIELDS],
  overdueNotes: ['OVERDUE_VIEW_FIELDS (notes/overdue-notes.queries.ts)', OVERDUE_VIEW_FIELDS],
};
const isHot = (field: string): field is HotRoot => field in VIEW_FIELDS;

/**
 * Queries of the front ends, by "Operation.rootField", that reach notes of visit
 * (or a hot root field) and are NOT answered by read views, with why. `finding`:
 * not by design; the ORM answers today, and should not (see the reason).
 * Mutations are never on it: they answer from the entities they have just written
 * (a read view is never flushed or changed, read-views.ts).
 */
const NOT_ON_THE_FAST_PATH: Record<string, { reason: string; finding?: true }> = {
  'NoteEditorVisit.visit': {
    reason:
      'visit(id) has no read view (VisitResolver.visit: findOr404, then each field resolver through the ORM). The note editor opens a note through it, ' +
      'with the note in full (NoteFields): the hottest note read of the add-in goes the slow way.',
    finding: true,
  },
  'TeamOverview.disputedNotes': { reason: 'disputedNotes has no read view (a handful of notes awaiting moderation, for managers; ORM by design).' },
  'VisitForPaneById.visit': {
    reason: "one visit by id (the Outlook pane): no read view, by design (one row; the pane asks for the visit's warnings, agenda HTML and lead partner).",
  },
  'VisitForPaneByAppointment.visitForAppointment': { reason: 'one visit by its appointment (the Outlook pane): no read view, by design.' },
  'SchoolCard.school': {
    reason: "one school's card (the Outlook pane): school(id) has no read view; its last visit's note status is one small read, batched per request.",
  },
  // Quality assurance (issue 22): short lists for one mentor or one senior adviser, through the ORM by design.
  'NotesAwaitingMyReview.notesAwaitingMyReview': { reason: "a mentor's first notes waiting for review: a handful at most (ORM by design)." },
  'QualityManager.noteSamples': { reason: "a year's samples of notes for a senior adviser: tens of notes, opened now and then (ORM by design)." },
  'MyNoteEvaluations.myNoteEvaluations': { reason: "the feedback on a partner's notes: one or two a year (ORM by design)." },
  'SchoolVisits.visits': {
    reason:
      "a school's page (the Teams app): its few dozen visits with each one's lead partner, which the visit list's read view does not serve (Visit.leadPartner); a page opened now and then, ORM by design.",
  },
};

/** Who sends each operation, with the variables its front end sends (addin/src/teams, addin/src/shared, addin/src/outlook). */
interface Fixture {
  partner: { id: string; token: string };
  manager: { id: string; token: string };
  visitWithNote: string;
  noteOfPartner: string;
  /** That visit's school (one of the partner's). */
  schoolOfPartner: string;
}
const today = () => testToday();
const CASES: Record<string, { as: ('partner' | 'manager')[]; variables: (f: Fixture, who: Fixture['partner']) => Record<string, unknown> }> = {
  // MyVisits.tsx, no term chosen: 120 days back to 90 ahead; NotesTab.tsx: the notes to finish. Me = the signed-in person.
  MyVisits: {
    as: ['partner', 'manager'],
    variables: (_f, me) => ({ filter: { partnerId: me.id, from: londonMidnight(addDays(today(), -120)), to: londonMidnight(addDays(today(), 90)) } }),
  },
  'MyVisits#notes-tab': {
    as: ['partner'],
    variables: (_f, me) => ({
      filter: { partnerId: me.id, from: londonMidnight(addDays(today(), -180)), to: testClock.now().toISOString(), status: ['BOOKED', 'COMPLETED'] },
    }),
  },
  TeamOverview: { as: ['manager'], variables: () => ({ academicYear: academicYearOf(today()) }) },
  // ShadowingTab.tsx, booking a shadowing: a partner's booked visits from now on.
  ShadowableVisits: { as: ['manager'], variables: (f) => ({ filter: { partnerId: f.partner.id, from: testClock.now().toISOString(), status: ['BOOKED'] } }) },
  // SchoolPage.tsx: a school's visits; PartnerCalendar.tsx: a partner's term (about seven weeks) as a calendar
  SchoolVisits: { as: ['partner', 'manager'], variables: (f) => ({ filter: { schoolId: f.schoolOfPartner } }) },
  VisitPage: {
    as: ['partner', 'manager'],
    variables: (f) => ({ filter: { partnerId: f.partner.id, from: londonMidnight(addDays(today(), -40)), to: londonMidnight(addDays(today(), 10)) } }),
  },
  NoteById: { as: ['partner', 'manager'], variables: (f) => ({ id: f.noteOfPartner }) },
  NoteEditorVisit: { as: ['partner', 'manager'], variables: (f) => ({ id: f.visitWithNote }) },
  VisitForPaneById: { as: ['partner'], variables: (f) => ({ id: f.visitWithNote }) },
  VisitForPaneByAppointment: { as: ['partner'], variables: () => ({ itemId: 'AAMkAGI2TG93AAA=' }) },
  SchoolCard: { as: ['partner', 'manager'], variables: (f) => ({ id: f.schoolOfPartner }) },
  // Quality assurance (issue 22): the mentor's review page (any reader of the note), the mentor's queue, the Quality view.
  NoteForMentor: { as: ['partner', 'manager'], variables: (f) => ({ id: f.noteOfPartner }) },
  NotesAwaitingMyReview: { as: ['partner', 'manager'], variables: () => ({}) },
  QualityManager: { as: ['manager'], variables: () => ({ academicYear: academicYearOf(today()) }) },
  MyNoteEvaluations: { as: ['partner'], variables: () => ({}) },
};
const casesOf = (op: string) => Object.entries(CASES).filter(([name]) => name.split('#')[0] === op);

const operations = frontEndOperations();
let t: TestApp;
let schema: GraphQLSchema;
let resolvers: ReadonlySet<string>;
let fixture: Fixture;

beforeAll(async () => {
  // No remembered sign-in: every request's statements are the same, whichever came first.
  t = await startTestApp({ config: { auth: { signInCacheSeconds: 0 } as never } });
  schema = await buildApiSchema();
  resolvers = declaredFieldResolvers(schema);
  const partner = await t.personWithRole(PartnerRole.PARTNER);
  const manager = await t.personWithRole(PartnerRole.MANAGER);
  // Late notes for the Team tab's report (the demo county has none on the suite's day), in this file's own database.
  await t.app.orm.em.fork().getConnection().execute(`update note_of_visit set status = 'agreed', circulated_at = null, circulation_due_on = date '2020-01-10'
              where id in (select id from note_of_visit where status = 'circulated' and revision = 1 order by id limit 15)`);
  const mine = await t.gql(
    `query($p: ID!) { visits(first: 50, filter: { partnerId: $p, status: [COMPLETED] }) { nodes { id school { id } note { id } } } }`,
    { p: partner.partner.id },
    { token: partner.token },
  );
  const withNote = mine.data!.visits.nodes.find((v: any) => v.note);
  expect(withNote, 'a completed visit of the partner with a note').toBeDefined();
  fixture = {
    partner: { id: partner.partner.id, token: partner.token },
    manager: { id: manager.partner.id, token: manager.token },
    visitWithNote: withNote.id,
    noteOfPartner: withNote.note.id,
    schoolOfPartner: withNote.school.id,
  };
});
afterAll(() => t?.stop());

/** The root fields of the front ends' queries this file is about: hot ones, and any reaching a note of visit. */
function inScope(op: FrontEndOperation): string[] {
  if (op.kind !== 'query') return [];
  return op.rootFields.filter((f) => isHot(f) || typesReached(schema, op, f).has('NoteOfVisit'));
}

async function send(document: string, variables: Record<string, unknown>, token: string) {
  const names = declaredVariables(document);
  t.sql.length = 0;
  const res = await t.gql(document, Object.fromEntries(Object.entries(variables).filter(([k]) => names.includes(k))), { token });
  return { res, sql: [...t.sql] };
}

describe('the front ends’ operations', () => {
  it('are found in addin/src (the Teams app, the note editor, the Outlook add-in)', () => {
    const names = operations.map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['MyVisits', 'TeamOverview', 'NoteById', 'NoteEditorVisit']));
  });

  it('that reach the visit list, a note or the overdue report each have realistic variables here, and the fast path or a reason', () => {
    const missing: string[] = [];
    for (const op of operations) {
      for (const field of inScope(op)) {
        const key = `${op.name}.${field}`;
        if (!casesOf(op.name).length) missing.push(`${op.name} (${op.file}): add who sends it and its variables to CASES`);
        if (!isHot(field) && !NOT_ON_THE_FAST_PATH[key])
          missing.push(`${key} (${op.file}) reaches NoteOfVisit outside the read views: list it in NOT_ON_THE_FAST_PATH with the reason`);
      }
    }
    expect(missing).toEqual([]);
    // nothing listed that the front ends no longer send
    const sent = new Set(operations.flatMap((op) => op.rootFields.map((f) => `${op.name}.${f}`)));
    expect(Object.keys(NOT_ON_THE_FAST_PATH).filter((k) => !sent.has(k))).toEqual([]);
    expect(
      Object.keys(CASES)
        .map((k) => k.split('#')[0])
        .filter((k) => !operations.some((op) => op.name === k)),
    ).toEqual([]);
  });

  it('run whole, as sent, without errors', async () => {
    for (const op of operations.filter((o) => inScope(o).length)) {
      for (const [name, c] of casesOf(op.name)) {
        for (const who of c.as) {
          const { res } = await send(documentOf(op), c.variables(fixture, fixture[who]), fixture[who].token);
          expect(res.errors, `${name} as ${who}`).toBeUndefined();
        }
      }
    }
  });
});

describe('read views answer', () => {
  const hot = operations.flatMap((op) => (op.kind === 'query' ? op.rootFields.filter(isHot).map((field) => ({ op, field })) : []));

  it('every front-end query of the visit list, a note or the overdue report, unless listed with its reason', async () => {
    expect(hot.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    let checked = 0;
    for (const { op, field } of hot) {
      const key = `${op.name}.${field}`;
      const listed = NOT_ON_THE_FAST_PATH[key];
      const document = documentForRootField(op, field);
      for (const [name, c] of casesOf(op.name)) {
        for (const who of c.as) {
          const { res, sql } = await send(document, c.variables(fixture, fixture[who]), fixture[who].token);
          expect(res.errors, `${name}.${field} as ${who}`).toBeUndefined();
          expect(res.data![field], `${name}.${field} as ${who}: an answer to look at`).toSatisfy((d: unknown) => (Array.isArray(d) ? d.length > 0 : d != null));
          const verdict = pathOf(field, sql);
          checked += 1;
          if (listed && verdict.path === 'view') wrong.push(`${key} as ${who} is now answered by read views: take it off NOT_ON_THE_FAST_PATH`);
          if (!listed && verdict.path !== 'view') {
            const [mapName, map] = VIEW_FIELDS[field];
            const outside = resolversOutside(schema, op, field, resolvers, map);
            wrong.push(
              `${name}.${field} as ${who} (addin/src/${op.file}) went the ORM's way. ` +
                (outside.length ? `Field resolvers it reaches that ${mapName} does not serve: ${outside.join(', ')}. ` : '') +
                `Statements other than the view's:\n    ${verdict.other.join('\n    ')}`,
            );
          }
        }
      }
    }
    expect(wrong, wrong.join('\n\n')).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });

  it('none of the queries listed as off the fast path (so the list stays true)', async () => {
    for (const [key, { reason }] of Object.entries(NOT_ON_THE_FAST_PATH)) {
      const [opName, field] = key.split('.') as [string, string];
      const op = operations.find((o) => o.name === opName)!;
      for (const [name, c] of casesOf(opName)) {
        for (const who of c.as) {
          const { res, sql } = await send(documentForRootField(op, field), c.variables(fixture, fixture[who]), fixture[who].token);
          expect(res.errors, `${name}.${field} as ${who}`).toBeUndefined();
          const view = isHot(field) ? (pathOf(field, sql).path === 'view' ? pathOf(field, sql).view : undefined) : anyViewStatement(sql);
          expect(view, `${key} is listed as off the fast path (${reason}) but read views answered it: take it off the list`).toBeUndefined();
        }
      }
    }
  });
});
