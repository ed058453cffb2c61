import { describe, expect, it } from 'vitest';
import { PARTNER_NOTE_TEXTS } from '../../api/src/notes/note-content.js';
import { formOf, inputOf, NOTE_TEXT_FIELDS, textOf, type NoteData } from '../src/shared/note-editor/note-model.js';
import { controlOf } from '../src/shared/note-editor/problems.js';
import { SECTION_LABELS } from '../src/shared/note-editor/three-way-merge.js';

/**
 * The note's own texts the partner writes reach the editor: the API's list (note-content.ts)
 * and the editor's (note-model.ts) are the same, and each text goes from the note to the form,
 * to the save, to the conflict view and to its own control. A text added to the API's note
 * content and not to the editor fails here (the fragment is checked by api/test/note-content.test.ts).
 */
const keys = NOTE_TEXT_FIELDS.map((f) => f.key as string);

describe("the editor's note texts", () => {
  it('are the texts the API says a partner writes on the note, in the same order', () => {
    expect(keys).toEqual([...PARTNER_NOTE_TEXTS]);
  });

  it('each go from the note to the form, into the save and the conflict view, with their own control', () => {
    const note = {
      ...Object.fromEntries(keys.map((key) => [key, `The ${key} as saved.`])),
      judgements: [],
      findings: [],
      recommendations: [],
      reviews: [],
      targets: [],
      distribution: [],
    } as unknown as NoteData;
    const form = formOf(note);
    const input = inputOf(form) as Record<string, unknown>;
    const text = textOf(form);
    for (const field of NOTE_TEXT_FIELDS) {
      expect((form as unknown as Record<string, string>)[field.key], field.key).toBe(`The ${field.key} as saved.`);
      expect(input[field.key], field.key).toBe(`The ${field.key} as saved.`);
      expect(text, field.key).toContain(`${field.section}: The ${field.key} as saved.`);
      expect(SECTION_LABELS[field.key], field.key).toBe(field.section);
      expect(controlOf(field.key, null), field.key).toBe(field.key);
    }
  });
});
