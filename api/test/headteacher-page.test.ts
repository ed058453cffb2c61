import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUDGEMENT_AREA_LABELS, JUDGEMENT_AREA_ORDER } from '../src/notes/note.enums.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { RecordingTransport } from './support/recording-transport.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The headteacher's page of the shared draft (issue 22): the judgements in their heading
 * order (achievement first, overall effectiveness last: never the alphabet), dates in
 * words ("By 6 March 2027", never "By 2027-03-06"), and no doubled punctuation where a
 * person's words end with a full stop.
 */
let t: TestApp;
let mail: RecordingTransport;
let token: string;

async function gqlOk(query: string, variables: Record<string, unknown> = {}) {
  const res = await t.gql(query, variables, { token });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

beforeAll(async () => {
  mail = new RecordingTransport();
  t = await startTestApp({ mailTransport: mail });
  ({ token } = await t.personWithRole(PartnerRole.PARTNER));
});
afterAll(() => t?.stop());

describe("the headteacher's page", () => {
  it('lists the judgements in heading order, with dates in words and clean punctuation', async () => {
    const school = (await gqlOk(`{ schools(first: 1, filter: { status: [OPEN], phase: [PRIMARY] }) { nodes { id } } }`)).schools.nodes[0];
    const visitId = (
      await gqlOk(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, {
        input: { schoolId: school.id, type: 'SPRING', startsAt: '2020-02-04T09:00:00+00:00', endsAt: '2020-02-04T12:00:00+00:00' },
      })
    ).bookVisit.id;
    const NOTE = `id version judgements { id area }`;
    const note = (await gqlOk(`mutation($v: ID!) { startNote(visitId: $v) { ${NOTE} } }`, { v: visitId })).startNote;
    // Sent in alphabetical order: the page must not keep it.
    const areas = [...JUDGEMENT_AREA_ORDER].sort();
    const written = (
      await gqlOk(`mutation($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { ${NOTE} } }`, {
        id: note.id,
        v: note.version,
        input: {
          summary: 'A school that knows itself well.',
          judgements: areas.map((area) => ({ area: area.toUpperCase(), schoolGrade: 2, partnerGrade: 2, evidenceBasis: 'REPORTED', commentary: 'Seen.' })),
          recommendations: [
            {
              action: 'Make governors’ challenge of pupil-premium spending systematic.',
              successMeasure: 'At least 85% of Year 1 pupils meet the expected standard in the summer check.',
              ownerRole: 'Chair of governors',
              dueOn: '2020-07-17',
            },
          ],
          remove: note.judgements.filter((j: { area: string }) => !areas.includes(j.area.toLowerCase() as never)).map((j: { id: string }) => j.id),
        },
      })
    ).updateNote;
    await gqlOk(`mutation($id: ID!, $v: Int!) { shareNote(id: $id, expectedVersion: $v) { status } }`, { id: written.id, v: written.version });
    await t.app.outbox.runOnce();
    const path = new RegExp(`https?://\\S+(/school/response/\\S+)`).exec(mail.sent.at(-1)!.text)![1]!;
    const page = await (await fetch(`${t.url}${path}`)).text();

    const headings = [...page.matchAll(/<h3>([^<]+)<\/h3>/g)].map((m) => m[1]!);
    expect(headings).toEqual(JUDGEMENT_AREA_ORDER.map((a) => JUDGEMENT_AREA_LABELS[a]));
    // The comment boxes of the response form follow the same order.
    const boxes = [...page.matchAll(/<textarea id="comment_([a-z_]+)"/g)].map((m) => m[1]!);
    expect(boxes).toEqual([...JUDGEMENT_AREA_ORDER]);

    expect(page).toContain('17 July 2020');
    expect(page).toContain('Tuesday 4 February 2020');
    expect(page.replace(/<[^>]+>/g, ' ')).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
    expect(page.replace(/<[^>]+>/g, ' ')).not.toMatch(/\.\s*[.:](?!\d)/);
  });
});
