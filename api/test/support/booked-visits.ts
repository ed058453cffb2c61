import type { TestApp } from './test-app.js';
import { testClock } from './test-clock.js';

/**
 * Visits still to come, whatever the suite's day (TEST_NOW): in the summer holiday the
 * demo county has none, every visit of its year having taken place. Booked here through
 * the API as the manager, a week and more after the suite's clock, at the first open school.
 */
export async function bookedVisits(t: TestApp, count: number): Promise<{ id: string; version: number }[]> {
  const school = (await t.gql(`{ schools(first: 1, filter: { status: [OPEN] }) { nodes { id } } }`)).data!.schools.nodes[0].id as string;
  const visits: { id: string; version: number }[] = [];
  for (let i = 0; i < count; i++) {
    const startsAt = new Date(testClock.now().getTime() + (7 + i) * 86_400_000);
    startsAt.setUTCHours(9, 0, 0, 0);
    const res = await t.gql<{ bookVisit: { id: string; version: number } }>(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id version } }`, {
      input: { schoolId: school, type: 'SPRING', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString() },
    });
    if (res.errors || !res.data) throw new Error(`booking a visit to come failed: ${JSON.stringify(res.errors)}`);
    visits.push(res.data.bookVisit);
  }
  return visits;
}
