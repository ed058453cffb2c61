import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { MetadataStorage, type EntityClass } from '@mikro-orm/core';
import { Kind, parse, type SelectionSetNode } from 'graphql';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { contentDocx } from '../src/notes/note-docx.js';
import { Finding } from '../src/notes/finding.entity.js';
import { HeadteacherResponse } from '../src/notes/headteacher-response.entity.js';
import { Judgement } from '../src/notes/judgement.entity.js';
import { LIST_SECTIONS, NOTE_CONTENT, partnerTexts, renderContent, type FieldDef } from '../src/notes/note-content.js';
import { NoteOfVisit } from '../src/notes/note-of-visit.entity.js';
import { NoteRecipient } from '../src/notes/note-recipient.entity.js';
import { NoteTarget } from '../src/notes/note-target.entity.js';
import { RecommendationReview } from '../src/notes/recommendation-review.entity.js';
import { Recommendation } from '../src/notes/recommendation.entity.js';
import { contentHtml } from '../src/school-side/pages.js';

/**
 * One definition of a note's content (api/src/notes/note-content.ts): a field added
 * to a note's entities must be placed in it (or said here not to be content), and
 * every field in it must reach the circulated snapshot, the Word note, the
 * headteacher's pages and the editor.
 */

/** What a note holds that is not its content, and why. */
const NOT_CONTENT: Record<string, string> = {
  id: 'identity',
  createdAt: 'bookkeeping',
  updatedAt: 'bookkeeping',
  note: 'the parent',
  position: 'the order of the list',
  version: 'optimistic locking',
  visit: 'the header (school, visit)',
  author: 'the header (partner)',
  status: 'the header',
  draftDueOn: 'the header',
  circulationDueOn: 'the header',
  sharedAt: 'workflow timestamp',
  firstSharedAt: 'workflow timestamp',
  circulatedAt: 'workflow timestamp (the revision keeps it)',
  firstCirculatedAt: 'workflow timestamp',
  revision: 'the header',
  moderatedBy: 'kept in the audit trail and the API',
  recommendationLimitOverriddenBy: 'kept in the audit trail and the API',
  confirmedNotNames: "the partner's answers to the no-names rule, not the note's words",
  recordedBy: 'who recorded an answer (audit); the channel is shown',
  revisions: 'earlier circulated versions, each its own document',
  recommendation: 'shown through the review',
  mentorReviewRequestedAt: "the mentor's review of a first note (quality assurance), not the note's words",
  mentorReleasedAt: "the mentor's review of a first note (quality assurance), not the note's words",
  mentorReleasedBy: "the mentor's review of a first note (quality assurance), not the note's words",
};

const ENTITIES: [string, EntityClass<object>][] = [
  ['note', NoteOfVisit],
  ['judgements', Judgement],
  ['findings', Finding],
  ['reviews', RecommendationReview],
  ['recommendations', Recommendation],
  ['targets', NoteTarget],
  ['responses', HeadteacherResponse],
  ['distribution', NoteRecipient],
];

const scalarKeys = new Set(NOTE_CONTENT.filter((s) => s.kind !== 'list').flatMap((s) => s.fields.map((f) => f.key)));
const listKeys = new Set(LIST_SECTIONS.map((s) => s.key));

describe('the definition of a note’s content', () => {
  it('places every field of the note and its lists, or says why it is not content', () => {
    const unplaced: string[] = [];
    for (const [where, entity] of ENTITIES) {
      // The metadata the entity's decorators registered (as discovery reads it), BaseEntity's fields included.
      const registered = Object.values(MetadataStorage.getMetadata()).filter((m) => m.className === entity.name || m.className === 'BaseEntity');
      const props = [...new Set(registered.flatMap((m) => Object.keys(m.properties)))];
      expect(props.length, where).toBeGreaterThan(1);
      const section = LIST_SECTIONS.find((s) => s.key === where);
      for (const prop of props) {
        const placed = where === 'note' ? scalarKeys.has(prop) || listKeys.has(prop as never) : section!.fields.some((f) => f.key === prop);
        if (!placed && !(prop in NOT_CONTENT)) unplaced.push(`${where}.${prop}`);
      }
    }
    expect(unplaced, 'add these to NOTE_CONTENT (api/src/notes/note-content.ts) or to NOT_CONTENT here with a reason').toEqual([]);
  });

  // A value for every field: text fields carry a marker to find in the output.
  const markers: string[] = [];
  const valueOf = (field: FieldDef, where: string): unknown => {
    switch (field.kind) {
      case 'grade':
      case 'number':
        return 3;
      case 'percent':
        return 72.5;
      case 'area':
        return 'quality_of_teaching';
      case 'words':
        return 'reported_and_observed';
      case 'yes':
      case 'agreed':
        return true;
      case 'date':
        return '2027-03-05';
      case 'instant':
        return '2027-03-05T10:00:00.000Z';
      case 'comments':
        return [{ area: 'achievement', comment: `marker-${where}-${field.key}` }];
      default: {
        const marker = `marker-${where}-${field.key}`;
        markers.push(marker);
        return marker;
      }
    }
  };
  const content: Record<string, unknown> & { revision: number } = { revision: 1 };
  for (const section of NOTE_CONTENT) {
    if (section.kind === 'list') content[section.key] = [Object.fromEntries(section.fields.map((f) => [f.key, valueOf(f, section.key)]))];
    else for (const f of section.fields) content[f.key] = valueOf(f, 'note');
  }
  markers.push(...LIST_SECTIONS.flatMap((s) => s.fields.filter((f) => f.kind === 'comments').map((f) => `marker-${s.key}-${f.key}`)));
  const labels = NOTE_CONTENT.flatMap((s) => [s.title, ...s.fields.map((f) => f.label)]);
  const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

  it('reaches the Word note: every section, every label, every text', async () => {
    const buffer = await contentDocx({ schoolName: 'S', dfeNumber: '926/0001', visit: 'V', partner: 'P', status: 'Draft', deadlines: 'D' }, content);
    const xml = await (await JSZip.loadAsync(buffer)).file('word/document.xml')!.async('string');
    expect(markers.filter((m) => !xml.includes(m))).toEqual([]);
    expect(labels.filter((l) => !xml.includes(xmlText(l)))).toEqual([]);
  });

  it("reaches the headteacher's pages: every section, every label, every text", () => {
    const page = contentHtml(renderContent(content)).value;
    expect(markers.filter((m) => !page.includes(m))).toEqual([]);
    const escaped = (l: string) => l.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');
    expect(labels.filter((l) => !page.includes(escaped(l)))).toEqual([]);
  });

  it('is checked by the no-names rule wherever the partner writes free text', () => {
    const checked = partnerTexts(content).map((t) => t.field);
    const partnerFree = NOTE_CONTENT.flatMap((s) =>
      s.fields
        .filter((f) => f.by === 'partner' && f.kind === 'text' && f.key !== 'ownerInitials' && s.key !== 'distribution' && f.key !== 'keyStage')
        .map((f) => (s.kind === 'list' ? `${s.key}.0.${f.key}` : f.key)),
    );
    expect(partnerFree.filter((f) => !checked.includes(f))).toEqual([]);
  });

  it('reaches the editor: its note fragment asks for every field of the content', () => {
    const source = readFileSync(new URL('../../addin/src/shared/note-editor/note-documents.ts', import.meta.url), 'utf8');
    const documents = [...source.matchAll(/graphql\(`([\s\S]*?)`\)/g)].map((m) => parse(m[1]!.replace(/\$\{[^}]*\}/g, '')));
    const fragment = documents.flatMap((d) => d.definitions).find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.typeCondition.name.value === 'NoteOfVisit');
    expect(fragment, 'a fragment on NoteOfVisit in note-documents.ts').toBeTruthy();
    const fields = (set: SelectionSetNode | undefined): Map<string, SelectionSetNode | undefined> =>
      new Map((set?.selections ?? []).flatMap((s) => (s.kind === Kind.FIELD ? [[s.name.value, s.selectionSet] as const] : [])));
    const top = fields((fragment as { selectionSet: SelectionSetNode }).selectionSet);
    const missing: string[] = [];
    for (const section of NOTE_CONTENT) {
      if (section.kind !== 'list') {
        for (const f of section.fields) if (!top.has(f.key)) missing.push(f.key);
        continue;
      }
      if (!top.has(section.key)) {
        missing.push(section.key);
        continue;
      }
      const inner = fields(top.get(section.key));
      for (const f of section.fields) if (!inner.has(f.key)) missing.push(`${section.key}.${f.key}`);
    }
    expect(missing).toEqual([]);
  });
});
