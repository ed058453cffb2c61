import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, isEnumType, isObjectType, isScalarType, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonObjectSql } from '../src/platform/graphql/read-views.js';
import { declaredFieldResolvers } from '../src/platform/graphql/selection.js';
import { OVERDUE_VIEW_FIELDS } from '../src/notes/overdue-notes.queries.js';
import { NOTE_VIEW_FIELDS } from '../src/notes/note.queries.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { VISIT_LIST_VIEW_FIELDS } from '../src/visits/visit.queries.js';
import { ensureNoteWithReviewsAndTargets } from './support/demo-notes.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Read views (graphql/read-views.ts) answer the visit list, a note in full and the
 * overdue report from one statement of plain rows. They must answer exactly as the
 * ORM's path does, for every plain field and every relation they serve: each test
 * asks the same thing twice, once as it is (read views) and once with one more
 * field they do not serve (so the ORM answers), and compares the two.
 */
let t: TestApp;
let resolvers: ReadonlySet<string>;
beforeAll(async () => {
  t = await startTestApp();
  resolvers = declaredFieldResolvers(schema); // once the server's schema is built
});
afterAll(() => t?.stop());

const schema = buildSchema(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));

/**
 * Every field of a type that is not a field resolver (properties, getters), with the
 * plain fields of embedded objects (an address), plus the listed relations.
 */
function plainFields(typeName: string, relations: Record<string, string> = {}): string {
  const type = schema.getType(typeName) as GraphQLObjectType;
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.length) continue;
    const key = `${typeName}.${field.name}`;
    const named = getNamedType(field.type);
    if (relations[field.name] !== undefined) parts.push(`${field.name} ${relations[field.name]}`);
    else if (resolvers.has(key)) continue;
    else if (isScalarType(named) || isEnumType(named)) parts.push(field.name);
    // embedded objects (no id of their own); an entity's plain relation field is not a read views' relation
    else if (isObjectType(named) && !named.getFields().id) parts.push(`${field.name} ${plainFields(named.name)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

const VISIT_OF_NOTE = () =>
  plainFields('Visit', { school: plainFields('School', { dfeNumber: '' }), expectsNote: '', noteDraftDueOn: '', noteCirculationDueOn: '' });
const VISIT_NODE = () =>
  plainFields('Visit', {
    school: plainFields('School', { dfeNumber: '' }),
    agenda: plainFields('AgendaItem'),
    note: plainFields('NoteOfVisit', { overdue: '' }),
    expectsNote: '',
    noteDraftDueOn: '',
    noteCirculationDueOn: '',
  });

/** The statements a request sent; read views send one (after the caller's sign-in, when not remembered). */
async function answer(query: string, variables: Record<string, unknown>, token?: string) {
  t.sql.length = 0;
  const res = await t.gql(query, variables, token ? { token } : {});
  expect(res.errors).toBeUndefined();
  return { data: res.data!, readViews: t.sql.some((s) => s.includes('json_build_object')) };
}

/** The same request through read views and through the ORM (`extra` is a field they do not serve). */
async function bothWays(
  query: (extra: string) => string,
  variables: Record<string, unknown>,
  extra: string,
  token?: string,
  strip: (data: any) => void = () => {},
) {
  const fast = await answer(query(''), variables, token);
  const orm = await answer(query(extra), variables, token);
  expect(fast.readViews).toBe(true);
  expect(orm.readViews).toBe(false);
  strip(orm.data);
  return { fast: fast.data, orm: orm.data };
}

describe('a row as JSON (read-views.ts)', () => {
  it('builds objects of any width, past the 100 arguments a PostgreSQL function takes', async () => {
    const pairs = Array.from({ length: 120 }, (_, i): [string, string] => [`k${i}`, `${i}`]);
    const [row] = await t.app.orm.em
      .fork()
      .getConnection()
      .execute(`select ${jsonObjectSql(pairs)} as o`);
    expect(jsonObjectSql(pairs)).toContain('jsonb_build_object');
    expect(row.o).toEqual(Object.fromEntries(pairs.map(([k, v]) => [k, Number(v)])));
  });
});

describe('the selections read views serve', () => {
  it('name only field resolvers that exist', () => {
    for (const key of [...VISIT_LIST_VIEW_FIELDS.keys(), ...NOTE_VIEW_FIELDS.keys(), ...OVERDUE_VIEW_FIELDS.keys()]) {
      expect(resolvers.has(key), key).toBe(true);
    }
  });
});

describe('a visit list', () => {
  const VISITS = (extra: string) => /* GraphQL */ `
    query Visits($first: Int!, $after: String, $filter: VisitFilter) {
      visits(first: $first, after: $after, filter: $filter) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id ${extra} } }
        nodes ${VISIT_NODE().replace(/^\{/, `{ ${extra}`)}
      }
    }`;
  const stripLeadPartner = (data: any) => {
    for (const e of data.visits.edges) delete e.node.leadPartner;
    for (const n of data.visits.nodes) delete n.leadPartner;
  };

  it("answers a partner's pages (following the cursors) as the ORM does, every plain field, school, note and agenda", async () => {
    const { token } = await t.personWithRole(PartnerRole.PARTNER);
    let after: string | null = null;
    let pages = 0;
    let withNotes = 0;
    do {
      const { fast, orm } = await bothWays(VISITS, { first: 7, after }, 'leadPartner { id }', token, stripLeadPartner);
      expect(fast).toEqual(orm);
      withNotes += fast.visits.nodes.filter((v: any) => v.note).length;
      after = fast.visits.pageInfo.hasNextPage ? fast.visits.pageInfo.endCursor : null;
      pages += 1;
    } while (after && pages < 6);
    expect(pages).toBeGreaterThan(1);
    expect(withNotes).toBeGreaterThan(0);
  });

  it('answers a manager, with every filter, as the ORM does', async () => {
    const some = (await t.gql(`{ visits(first: 1, filter: { status: [COMPLETED] }) { nodes { startsAt school { id laCode } leadPartner { id } } } }`)).data!
      .visits.nodes[0];
    const filters = [
      {},
      { status: ['COMPLETED'], type: ['AUTUMN', 'SPRING', 'SUMMER'] },
      { from: '2024-09-01T00:00:00Z', to: some.startsAt },
      { schoolId: some.school.id },
      { partnerId: some.leadPartner.id, status: ['COMPLETED', 'BOOKED'] },
      { laCode: [some.school.laCode], status: ['COMPLETED'] },
      { laCode: [some.school.laCode + 1] },
    ];
    for (const filter of filters) {
      const { fast, orm } = await bothWays(VISITS, { first: 12, filter }, 'leadPartner { id }', undefined, stripLeadPartner);
      expect(fast, JSON.stringify(filter)).toEqual(orm);
    }
  });

  it('answers an empty page with its total, and refuses a bad cursor as the ORM does', async () => {
    const { fast, orm } = await bothWays(VISITS, { first: 5, filter: { from: '2090-01-01T00:00:00Z' } }, 'leadPartner { id }', undefined, stripLeadPartner);
    expect(fast.visits).toEqual({
      totalCount: 0,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      edges: [],
      nodes: [],
    });
    expect(fast).toEqual(orm);
    for (const extra of ['', 'leadPartner { id }']) {
      const res = await t.gql(VISITS(extra), { first: 5, after: 'not-a-cursor' });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('serves fragments, inline fragments and aliases, reading only the columns asked for', async () => {
    const { token } = await t.personWithRole(PartnerRole.PARTNER);
    t.sql.length = 0;
    const res = await t.gql(
      `query { visits(first: 3) { nodes { ...V ... on Visit { when: startsAt } } } } fragment V on Visit { id school { dfeNumber } note { status } }`,
      {},
      { token },
    );
    expect(res.errors).toBeUndefined();
    for (const node of res.data!.visits.nodes) {
      expect(node).toEqual({
        id: expect.any(String),
        when: expect.any(String),
        school: { dfeNumber: expect.stringMatching(/^\d{3}\/\d{4}$/) },
        note: node.note && { status: expect.any(String) },
      });
    }
    const list = t.sql.find((s) => s.includes('json_build_object'))!;
    expect(list).toBeDefined();
    expect(list).toContain(`'la_code'`);
    expect(list).not.toContain(`'headteacher_name'`);
    expect(list).not.toContain('agenda_item');
  });
});

describe('a note in full', () => {
  const NOTE = (extra: string) => /* GraphQL */ `
    query Note($id: ID!) {
      note(id: $id) ${plainFields('NoteOfVisit', {
        overdue: '',
        visit: VISIT_OF_NOTE(),
        author: plainFields('Partner'),
        judgements: plainFields('Judgement'),
        findings: plainFields('Finding'),
        recommendations: plainFields('Recommendation'),
        reviews: plainFields('RecommendationReview', { recommendation: plainFields('Recommendation') }),
        targets: plainFields('NoteTarget'),
        distribution: plainFields('NoteRecipient'),
      }).replace(/^\{/, `{ ${extra}`)}
    }`;

  it('answers as the ORM does, every plain field, every collection, the reviewed recommendations', async () => {
    const latest = async () =>
      (await t.gql(`{ visits(first: 60, filter: { status: [COMPLETED] }) { nodes { note { id reviews { id } targets { id } } } } }`))
        .data!.visits.nodes.map((v: any) => v.note)
        .filter(Boolean);
    await ensureNoteWithReviewsAndTargets(t.app, await latest());
    const notes = await latest();
    const full = notes.filter((n: any) => n.reviews.length && n.targets.length).slice(0, 4);
    expect(full.length).toBeGreaterThan(0);
    for (const note of [...full, notes.at(-1)]) {
      const { fast, orm } = await bothWays(NOTE, { id: note.id }, 'moderatedBy { id }', undefined, (d) => delete d.note.moderatedBy);
      expect(fast).toEqual(orm);
    }
  });

  it('refuses as the ORM does: an unknown id, a malformed one, a school the partner may not see', async () => {
    const { token } = await t.personWithRole(PartnerRole.PARTNER);
    const [mine] = (await t.gql(`{ visits(first: 1) { nodes { school { id } } } }`, {}, { token })).data!.visits.nodes;
    const [other] = await t.app.orm.em
      .fork()
      .getConnection()
      .execute(`select n.id from note_of_visit n join visit v on v.id = n.visit_id where v.school_id <> ? order by n.id limit 1`, [mine.school.id]);
    const cases: [string, string | undefined, string][] = [
      ['00000000-0000-4000-8000-000000000000', undefined, 'NOT_FOUND'],
      ['not-an-id', undefined, 'BAD_USER_INPUT'],
    ];
    for (const [id, who, code] of cases) {
      for (const extra of ['', 'moderatedBy { id }']) {
        const res = await t.gql(`query($id: ID!) { note(id: $id) { id ${extra} } }`, { id }, who ? { token: who } : {});
        expect(res.errors?.[0]?.extensions?.code, `${id} ${extra}`).toBe(code);
      }
    }
    // A partner sees notes of schools they are allocated to or have visited only (or none: then every note is another school's).
    const visible = await t.gql(`query($id: ID!) { note(id: $id) { id } }`, { id: other.id }, { token });
    const viaOrm = await t.gql(`query($id: ID!) { note(id: $id) { id moderatedBy { id } } }`, { id: other.id }, { token });
    expect(visible.errors?.[0]?.extensions?.code ?? 'seen').toBe(viaOrm.errors?.[0]?.extensions?.code ?? 'seen');
  });

  it('keeps a note not yet circulated from other council systems', async () => {
    const [draft] = await t.app.orm.em.fork().getConnection().execute(`select id from note_of_visit where status <> 'circulated' order by id limit 1`);
    const res = await t.gql(`query($id: ID!) { note(id: $id) { id judgements { area } } }`, { id: draft.id }, { token: await t.serviceToken('Finance') });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the overdue-notes report', () => {
  const REPORT = (extra: string) => /* GraphQL */ `
    query Report($laCode: Int, $partnerId: ID) {
      overdueNotes(laCode: $laCode, partnerId: $partnerId) {
        partner ${plainFields('Partner').replace(/^\{/, `{ ${extra}`)}
        lateDrafts lateCirculations
        notes ${plainFields('NoteOfVisit', { overdue: '', visit: VISIT_OF_NOTE() })}
      }
    }`;
  const strip = (d: any) => d.overdueNotes.forEach((g: any) => delete g.partner.mentor);

  it('answers as the ORM does: everyone, one authority, one partner, a partner their own', async () => {
    await t.app.orm.em.fork().getConnection().execute(`update note_of_visit set status = 'agreed', circulated_at = null, circulation_due_on = date '2020-01-10'
                where id in (select id from note_of_visit where status = 'circulated' order by id limit 15)`);
    const everyone = await bothWays(REPORT, {}, 'mentor { id }', undefined, strip);
    expect(everyone.fast.overdueNotes.length).toBeGreaterThan(1);
    expect(everyone.fast).toEqual(everyone.orm);
    const one = everyone.fast.overdueNotes[0];
    const la = Number(one.notes[0].visit.school.dfeNumber.slice(0, 3));
    for (const variables of [{ laCode: la }, { partnerId: one.partner.id }]) {
      const { fast, orm } = await bothWays(REPORT, variables, 'mentor { id }', undefined, strip);
      expect(fast.overdueNotes.length).toBeGreaterThan(0);
      expect(fast).toEqual(orm);
    }
    const partner = await t.app.orm.em.fork().getConnection().execute(`select email from partner where id = ?`, [one.partner.id]);
    const own = await bothWays(REPORT, {}, 'mentor { id }', await t.issuer.signForPerson(partner[0].email), strip);
    expect(own.fast.overdueNotes.map((g: any) => g.partner.id)).toEqual([one.partner.id]);
    expect(own.fast).toEqual(own.orm);
  });
});
