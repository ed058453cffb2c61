import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Acceptance: a list of visits with school, partner and agenda costs the same
 * number of SQL statements whatever the page size (no query per row).
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
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
          school { name dfeNumber address { oneLine } }
          leadPartner { name email }
          agenda { position title minutes ownerRole }
          attendees { name role }
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
              status draftDueOn circulationDueOn
              author { name }
              judgements { area schoolGrade partnerGrade evidenceBasis disagreementReason }
              findings { text evidenceBasis }
              recommendations { action successMeasure ownerRole ownerInitials dueOn status }
              reviews { progress comment recommendation { action } }
              targets { keyStage measure year value }
              distribution { role name }
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
        visits(first: $first) { nodes { warnings { code message } agendaHtml school { allocations { days daysSpent daysRemaining } } } }
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
            currentRiskCategory { category effectiveFrom assessedBy { name } }
            predecessors { effectiveOn predecessor { name dfeNumber } }
            successors { successor { name } }
            allocations { academicYear days partner { name } }
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
