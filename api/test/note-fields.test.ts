import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTNER_NOTE_TEXTS } from '../src/notes/note-content.js';
import { NoteStatus } from '../src/notes/note.enums.js';
import { NoteOfVisit } from '../src/notes/note-of-visit.entity.js';
import type { Em } from '../src/platform/db/orm.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * A text the partner writes on the note itself (note-content.ts lists them) goes all the way:
 * the save accepts it (UpdateNoteInput), stores it (the entity, its column: the migrations test
 * checks the tables match the entities), and the API returns it (the schema). Adding such a
 * text to note-content.ts and forgetting any of those fails here.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

describe("the note's own texts", () => {
  it('are listed: purpose and summary at least', () => {
    expect(PARTNER_NOTE_TEXTS).toEqual(expect.arrayContaining(['purpose', 'summary']));
  });

  it('are each saved by updateNote and read back, trimmed, and emptied with an empty string', async () => {
    const em = t.app.orm.em.fork() as Em;
    const note = (await em.findOne(NoteOfVisit, { status: NoteStatus.DRAFT }))!;
    const written = Object.fromEntries(PARTNER_NOTE_TEXTS.map((key) => [key, `  The ${key} as the partner wrote it.  `]));
    const selection = PARTNER_NOTE_TEXTS.join(' ');
    const save = await t.gql(
      `mutation($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { version ${selection} } }`,
      {
        id: note.id,
        v: note.version,
        input: written,
      },
    );
    expect(save.errors, JSON.stringify(save.errors)).toBeUndefined();
    const read = await t.gql(`query($id: ID!) { note(id: $id) { ${selection} } }`, { id: note.id });
    expect(read.data!.note).toEqual(Object.fromEntries(PARTNER_NOTE_TEXTS.map((key) => [key, `The ${key} as the partner wrote it.`])));

    const cleared = await t.gql(
      `mutation($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { ${selection} } }`,
      {
        id: note.id,
        v: save.data!.updateNote.version,
        input: Object.fromEntries(PARTNER_NOTE_TEXTS.map((key) => [key, ''])),
      },
    );
    expect(cleared.errors, JSON.stringify(cleared.errors)).toBeUndefined();
    expect(cleared.data!.updateNote).toEqual(Object.fromEntries(PARTNER_NOTE_TEXTS.map((key) => [key, null])));
  });
});
