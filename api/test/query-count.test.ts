import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FULL_NOTE, OVERDUE_REPORT, PARTNER_VISITS } from '../../scripts/bench/queries.mjs';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { ensureNoteWithReviewsAndTargets } from './support/demo-notes.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Acceptance: a list of visits with school, partner and agenda costs the same
 * number of SQL statements whatever the page size (no query per row).
 */
let t: TestApp;
beforeAll(async () => {
  // The caller's partner record is looked up on every request, so every count includes it (a
  // remembered one would make the first request of a run count one more).
  t = await startTestApp({ config: { auth: { signInCacheSeconds: 0 } as never } });
});
afterAll(() => t?.stop());

async function statementsFor(query: string, variables: Record<string, unknown>) {
  t.sql.length = 0;
  const res = await t.gql(query, variables);
  expect(res.errors).toBeUndefined();
  return { count: t.sql.length, data: res.data! };
}

const VISITS = /* GraphQL */ `
  query Visits($first: Int!) {
    visits(first: $first) {
      totalCount
      edges {
        cursor
        node {
          id
          startsAt
          type
          status
          school {
            name
            dfeNumber
            address {
              oneLine
            }
          }
          leadPartner {
            name
            email
          }
          agenda {
            position
            title
            minutes
            ownerRole
          }
          attendees {
            name
            role
          }
        }
      }
    }
  }
`;

describe('batch loading', () => {
  it('lists 1, 10 and 50 visits with school, partner and agenda in the same number of statements', async () => {
    const counts: number[] = [];
    for (const first of [1, 10, 50]) {
      const { count, data } = await statementsFor(VISITS, { first });
      expect(data.visits.edges).toHaveLength(first);
      expect(data.visits.edges.every((e: any) => e.node.school.name && e.node.leadPartner.name)).toBe(true);
      counts.push(count);
    }
    const agendaLengths = (await t.gql(VISITS, { first: 50 })).data!.visits.edges.map((e: any) => e.node.agenda.length);
    expect(Math.max(...agendaLengths)).toBeGreaterThan(0);
    expect(new Set(counts).size).toBe(1);
    // caller's partner record + page + total + schools + partners + agenda items + attendees
    expect(counts[0]).toBeLessThanOrEqual(7);
  });

  it('loads notes of visit in full (judgements, recommendations, carried reviews) in a fixed number of statements', async () => {
    const NOTES = /* GraphQL */ `
      query Notes($first: Int!) {
        visits(first: $first, filter: { status: [COMPLETED] }) {
          nodes {
            note {
              status
              draftDueOn
              circulationDueOn
              author {
                name
              }
              judgements {
                area
                schoolGrade
                partnerGrade
                evidenceBasis
                disagreementReason
              }
              findings {
                text
                evidenceBasis
              }
              recommendations {
                action
                successMeasure
                ownerRole
                ownerInitials
                dueOn
                status
              }
              reviews {
                progress
                comment
                recommendation {
                  action
                }
              }
              targets {
                keyStage
                measure
                year
                value
              }
              distribution {
                role
                name
              }
            }
          }
        }
      }
    `;
    const small = await statementsFor(NOTES, { first: 5 });
    const large = await statementsFor(NOTES, { first: 60 });
    expect(large.data.visits.nodes.filter((n: any) => n.note).length).toBeGreaterThan(30);
    expect(large.data.visits.nodes.some((n: any) => n.note?.reviews.length > 0)).toBe(true);
    expect(large.count).toBe(small.count);
  });

  it('works out warnings, agenda HTML and time budgets for a page in a fixed number of statements', async () => {
    const WITH_WARNINGS = /* GraphQL */ `
      query Visits($first: Int!) {
        visits(first: $first) {
          nodes {
            warnings {
              code
              message
            }
            agendaHtml
            school {
              allocations {
                days
                daysSpent
                daysRemaining
              }
            }
          }
        }
      }
    `;
    const small = await statementsFor(WITH_WARNINGS, { first: 2 });
    const large = await statementsFor(WITH_WARNINGS, { first: 50 });
    expect(large.data.visits.nodes.some((v: any) => v.warnings.length > 0)).toBe(true);
    expect(large.count).toBe(small.count);
  });

  it('lists schools with risk category, predecessors and allocations in a fixed number of statements', async () => {
    const SCHOOLS = /* GraphQL */ `
      query Schools($first: Int!) {
        schools(first: $first) {
          nodes {
            name
            currentRiskCategory {
              category
              effectiveFrom
              assessedBy {
                name
              }
            }
            predecessors {
              effectiveOn
              predecessor {
                name
                dfeNumber
              }
            }
            successors {
              successor {
                name
              }
            }
            allocations {
              academicYear
              days
              partner {
                name
              }
            }
          }
        }
      }
    `;
    const small = await statementsFor(SCHOOLS, { first: 3 });
    const large = await statementsFor(SCHOOLS, { first: 50 });
    expect(large.data.schools.nodes).toHaveLength(50);
    expect(large.count).toBe(small.count);
  });
});

/**
 * The benchmark's scenarios 1-3 (scripts/bench, same queries): their statement
 * counts must not grow with what they return, or the national data set finds out.
 */
describe('benchmark scenarios: statements per request', () => {
  const execute = (sql: string, params: unknown[] = []) => t.app.orm.em.fork().getConnection().execute(sql, params);

  it("1: a partner's visit list with school, agenda and note status: the same count for a short page as for all their visits", async () => {
    const { token } = await t.personWithRole(PartnerRole.PARTNER);
    const all = (await t.gql(PARTNER_VISITS, { first: 100 }, { token })).data!.visits;
    // The latest visits are booked ones without notes: the short page starts where notes do, so it has every kind of row.
    const firstWithNote = all.nodes.findIndex((v: any) => v.note);
    expect(firstWithNote).toBeGreaterThanOrEqual(0);
    const sizes = [firstWithNote + 1, all.nodes.length];
    expect(sizes[1]).toBeGreaterThan(sizes[0] + 10);
    const counts: number[] = [];
    for (const first of sizes) {
      t.sql.length = 0;
      const res = await t.gql(PARTNER_VISITS, { first }, { token });
      expect(res.errors).toBeUndefined();
      expect(res.data!.visits.nodes).toHaveLength(first);
      expect(res.data!.visits.nodes.every((v: any) => v.agenda.length > 0 && v.school.name)).toBe(true);
      counts.push(t.sql.length);
    }
    expect(counts[1]).toBe(counts[0]);
    // caller, then one (read views, visits/visit.queries.ts): their schools, page, total, schools, agendas, notes
    expect(counts[0]).toBe(2);
  });

  it('1: the agendas of a page, read as plain rows, are the agenda items as stored, in order', async () => {
    const { token } = await t.personWithRole(PartnerRole.PARTNER);
    const res = await t.gql(`{ visits(first: 60) { nodes { id agenda { id position title detail ownerRole minutes createdAt updatedAt } } } }`, {}, { token });
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.visits.nodes;
    const rows = await execute(
      `select id, visit_id, position, title, detail, owner_role, minutes from agenda_item where visit_id in (${nodes.map(() => '?').join(', ')}) order by position`,
      nodes.map((v: any) => v.id),
    );
    let items = 0;
    for (const v of nodes) {
      const expected = rows.filter((r: any) => r.visit_id === v.id);
      expect(v.agenda.map((a: any) => [a.id, a.position, a.title, a.detail, a.ownerRole.toLowerCase(), a.minutes])).toEqual(
        expected.map((r: any) => [r.id, r.position, r.title, r.detail, r.owner_role, r.minutes]),
      );
      expect(v.agenda.every((a: any) => !Number.isNaN(Date.parse(a.createdAt)) && !Number.isNaN(Date.parse(a.updatedAt)))).toBe(true);
      items += expected.length;
    }
    expect(items).toBeGreaterThan(nodes.length);
  });

  it('2: one note in full costs the same with no children carried in as with many', async () => {
    const { visits } = (
      await t.gql(`{ visits(first: 100, filter: { status: [COMPLETED] }) { nodes { note { id reviews { comment } recommendations { action } } } } }`)
    ).data!;
    const notes = visits.nodes.map((v: any) => v.note).filter(Boolean);
    const size = (n: any) => n.reviews.length + n.recommendations.length;
    const smallest = notes.reduce((a: any, b: any) => (size(b) < size(a) ? b : a));
    const largest = notes.reduce((a: any, b: any) => (size(b) > size(a) ? b : a));
    expect(largest.reviews.length).toBeGreaterThan(0);
    expect(size(largest)).toBeGreaterThan(size(smallest));
    const counts: number[] = [];
    for (const note of [smallest, largest]) {
      t.sql.length = 0;
      const res = await t.gql(FULL_NOTE, { id: note.id });
      expect(res.errors).toBeUndefined();
      expect(res.data!.note.reviews).toHaveLength(note.reviews.length);
      counts.push(t.sql.length);
    }
    expect(counts[1]).toBe(counts[0]);
    // caller, then one (read views, notes/note.queries.ts): the note, its visit, school and author, and every kind of child asked for
    expect(counts[0]).toBe(2);
  });

  it('2: a note answered from read views makes no entity manager; one the ORM answers makes one', async () => {
    const { visits } = (await t.gql(`{ visits(first: 20, filter: { status: [COMPLETED] }) { nodes { note { id } } } }`)).data!;
    const id = visits.nodes.find((v: any) => v.note)!.note.id;
    const fork = vi.spyOn(t.app.orm.em, 'fork');
    try {
      expect((await t.gql(FULL_NOTE, { id })).errors).toBeUndefined();
      expect(fork).not.toHaveBeenCalled();
      // moderatedBy is not a read view's: the ORM answers, in the request's own entity manager
      expect((await t.gql(`query($id: ID!) { note(id: $id) { id moderatedBy { name } } }`, { id })).errors).toBeUndefined();
      expect(fork).toHaveBeenCalledTimes(1);
    } finally {
      fork.mockRestore();
    }
  });

  it('2: note(id), which loads the children asked for in one statement, answers as the list (loaded kind by kind) does', async () => {
    const FIELDS = `id status version judgements { area schoolGrade partnerGrade insufficientEvidence evidenceBasis disagreementReason commentary headteacherComment id createdAt }
      findings { id position area text evidenceBasis } recommendations { id position action successMeasure ownerRole ownerInitials dueOn status createdAt updatedAt }
      reviews { id progress comment createdAt recommendation { id action dueOn status } } targets { keyStage measure year value } distribution { position role name email }`;
    const listNotes = () => t.gql(`{ visits(first: 40, filter: { status: [COMPLETED] }) { nodes { note { ${FIELDS} } } } }`);
    await ensureNoteWithReviewsAndTargets(t.app, (await listNotes()).data!.visits.nodes.map((v: any) => v.note).filter(Boolean));
    const all = await listNotes();
    expect(all.errors).toBeUndefined();
    const listed = all.data!.visits.nodes.map((v: any) => v.note).filter(Boolean);
    expect(listed.some((n: any) => n.reviews.length && n.targets.length && n.findings.length)).toBe(true);
    for (const note of listed.slice(0, 25)) {
      // Through a fragment and an inline fragment, as clients send them.
      const res = await t.gql(`query($id: ID!) { note(id: $id) { ...Parts ... on NoteOfVisit { id } } } fragment Parts on NoteOfVisit { ${FIELDS} }`, {
        id: note.id,
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.note).toEqual(note);
    }
  });

  it('3: the overdue-notes report for one authority costs the same with a few late notes as with many', async () => {
    const report = async () => {
      t.sql.length = 0;
      const res = await t.gql(OVERDUE_REPORT, { laCode: 926 });
      expect(res.errors).toBeUndefined();
      return { notes: res.data!.overdueNotes.flatMap((g: any) => g.notes), count: t.sql.length };
    };
    // Late notes made from circulated ones: first two, then all the rest.
    const makeLate = (limit: string) =>
      execute(`update note_of_visit set status = 'agreed', circulated_at = null, circulation_due_on = date '2020-01-10'
               where id in (select id from note_of_visit where status = 'circulated' order by id ${limit})`);
    await makeLate('limit 2');
    const before = await report();
    expect(before.notes.length).toBeGreaterThanOrEqual(2);
    await makeLate('');
    const after = await report();
    expect(after.notes.length).toBeGreaterThan(before.notes.length + 20);
    expect(after.notes.every((n: any) => n.visit.school.dfeNumber.startsWith('926/'))).toBe(true);
    expect(after.count).toBe(before.count);
    // caller, then one (read views, notes/overdue-notes.queries.ts): late notes with their partners, visits and schools
    expect(after.count).toBe(2);
    const elsewhere = await t.gql(OVERDUE_REPORT, { laCode: 927 });
    expect(elsewhere.data!.overdueNotes).toEqual([]);
  });
});
