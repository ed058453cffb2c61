import { describe, expect, it } from 'vitest';
import { checkNoNames, findNames, type KnownPerson } from '../src/notes/note.rules.js';

/** Seed 004: people appear in a note by role and initials, never by name. */
const people: KnownPerson[] = [
  { name: 'Peter Good', role: 'chair of governors' },
  { name: 'Jane Smith', role: 'headteacher' },
  { name: 'Amrit Patel, Deputy headteacher', role: 'member of staff' },
];
const phrases = (text: string, notNames: string[] = []) => findNames([{ where: 'the summary', field: 'summary', text }], people, notNames).map((n) => n.phrase);

describe('the no-names rule', () => {
  it.each([
    ['Mrs Smith, the Year 6 teacher, led the lesson.', ['Mrs Smith']],
    ['Mrs Jane Smithson showed the books.', ['Mrs Jane Smithson']],
    ['Dr A. Patel presented the data.', ['Dr A. Patel']],
    ['Mr J Brown and Ms Okafor met the partner.', ['Mr J Brown', 'Ms Okafor']],
    ['The plan was agreed with Jane Smith.', ['Jane Smith']],
    ['The plan was agreed with J. Smith and Patel.', ['J. Smith', 'Patel']],
    ['Governors, led by Good, challenge leaders well.', ['Good']],
  ])('finds the names in "%s"', (text, expected) => {
    expect(phrases(text)).toEqual(expected);
  });

  it.each([
    'Teaching in Year 6 is good.',
    'Good progress was seen in writing.',
    'The headteacher (J.S.) and the chair of governors (P.G.) agreed the plan.',
    'Most pupils read fluently; smithing tools were used in design technology.',
  ])('lets "%s" through: ordinary words, roles and initials', (text) => {
    expect(phrases(text)).toEqual([]);
  });

  it('lets a phrase the partner confirmed is not a name pass, and nothing else', () => {
    expect(phrases('Mrs Smith and Mr Birch visited.', ['Mr Birch'])).toEqual(['Mrs Smith']);
  });

  it('refuses with the phrase quoted, where it is, and what to write instead', () => {
    const refuse = () => checkNoNames([{ where: 'Finding 2, finding', field: 'findings.1.text', text: 'Jane Smith reported better attendance.' }], people);
    expect(refuse).toThrow(
      /^Finding 2, finding names "Jane Smith": a note of visit refers to people by role and initials, so write "the headteacher \(J\.S\.\)"\. If "Jane Smith" is not a person's name, say so and save again\.$/,
    );
    try {
      refuse();
    } catch (error) {
      expect((error as { extensions: unknown }).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'findings.1.text', phrase: 'Jane Smith' });
    }
  });
});
