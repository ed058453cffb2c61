import { describe, expect, it } from 'vitest';
import { dateInWords, longLondonDate } from '../src/platform/dates/today.js';
import { joinText, labelled, sentences } from '../src/platform/documents/words.js';
import { display, type FieldDef } from '../src/notes/note-content.js';
import { JudgementArea } from '../src/notes/note.enums.js';

/** The one place text is joined for readers (platform/documents/words.ts) and the one date formatter (platform/dates/today.ts). */
describe('joining text for a reader', () => {
  it('drops a label’s own full stop before a colon: never "systematic.: achieved"', () => {
    expect(labelled('Make governors’ challenge of pupil-premium spending systematic.', 'achieved')).toBe(
      'Make governors’ challenge of pupil-premium spending systematic: achieved',
    );
    expect(labelled('Owner:', 'Early years leader')).toBe('Owner: Early years leader');
    expect(labelled('Owner', 'Early years leader')).toBe('Owner: Early years leader');
  });

  it('never doubles a full stop between sentences: never "summer check.. Owner"', () => {
    expect(sentences(['At least 85% of Year 1 pupils meet the expected standard in the summer check.', 'Owner Early years leader'])).toBe(
      'At least 85% of Year 1 pupils meet the expected standard in the summer check. Owner Early years leader.',
    );
    expect(sentences(['No stop', 'Two stops..', '', null, 'A question?'])).toBe('No stop. Two stops. A question?');
    expect(joinText('Is it done?', ': ', 'yes')).toBe('Is it done? yes');
    expect(joinText('', ': ', 'only the right')).toBe('only the right');
    expect(joinText('A', ' · ', 'B.')).toBe('A · B.');
  });

  it('is what the note’s comments on the headings use', () => {
    const field: FieldDef = { key: 'judgementComments', label: 'On the headings', kind: 'comments', by: 'headteacher' };
    expect(
      display(field, [
        { area: JudgementArea.OVERALL_EFFECTIVENESS, comment: 'Agreed.' },
        { area: JudgementArea.ACHIEVEMENT, comment: 'Our data says otherwise.' },
      ]),
    ).toBe('Achievement: Our data says otherwise.\nOverall effectiveness: Agreed.');
  });
});

describe('dates in words', () => {
  it('writes a calendar date as a person reads it, with the weekday when asked', () => {
    expect(dateInWords('2027-03-06')).toBe('6 March 2027');
    expect(dateInWords('2027-03-06', { weekday: true })).toBe('Saturday 6 March 2027');
  });

  it('writes an instant as its day in London, not in UTC', () => {
    // 23:30 UTC on 30 June is already 1 July in London (BST).
    expect(dateInWords(new Date('2027-06-30T23:30:00Z'))).toBe('1 July 2027');
    expect(longLondonDate(new Date('2027-06-30T23:30:00Z'))).toBe('Thursday 1 July 2027');
  });

  it('is what a note’s dates display as', () => {
    expect(display({ key: 'dueOn', label: 'By', kind: 'date', by: 'partner' }, '2027-03-06')).toBe('6 March 2027');
  });
});
