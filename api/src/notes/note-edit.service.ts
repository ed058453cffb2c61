import { ref } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import { businessDateOf } from '../platform/dates/today.js';
import type { Em } from '../platform/db/orm.js';
import { badInput, conflict } from '../platform/errors.js';
import { checkId } from '../platform/graphql/lookup.js';
import { SchoolSection } from './school-section.entity.js';
import type { Visit } from '../visits/visit.entity.js';
import { Finding } from './finding.entity.js';
import { Judgement } from './judgement.entity.js';
import { listSection, PARTNER_NOTE_TEXTS, partnerTexts } from './note-content.js';
import type { FindingInput, JudgementInput, RecipientInput, RecommendationInput, TargetInput, UpdateNoteInput } from './note.input.js';
import type { NoteOfVisit } from './note-of-visit.entity.js';
import { NoteRecipient } from './note-recipient.entity.js';
import { checkJudgements, checkNoNames, checkRecommendations, type KnownPerson } from './note.rules.js';
import { NoteTarget } from './note-target.entity.js';
import { JUDGEMENT_AREA_LABELS, RecipientRole } from './note.enums.js';
import { RecommendationReview } from './recommendation-review.entity.js';
import { Recommendation } from './recommendation.entity.js';
import { signedInPartnerRef } from '../partners/signed-in-partner.js';

/** The most items a note keeps in each list (the inputs' limits, held across saves too). */
const MOST: Record<string, number> = { judgements: 5, findings: 40, recommendations: 10, targets: 20, distribution: 30 };

type Item = { id: string; position?: number };

/** How one list of a note is saved item by item. */
interface ListSave<E extends Item, I extends { id?: string | null }> {
  key: 'judgements' | 'findings' | 'recommendations' | 'targets' | 'distribution';
  create(note: NoteOfVisit): E;
  /** Sets what the input says; a field the input leaves out stays as it is. */
  apply(item: E, input: I, path: string): void;
  /** An existing item an input without id stands for (a judgement: its heading's). */
  same?(items: E[], input: I): E | undefined;
  /** Kept in an order of its own (a position), or not (judgements follow their headings). */
  positioned: boolean;
  /** Refuses (CONFLICT) to delete an item others depend on. */
  mayRemove?(tx: Em, item: E, label: string): Promise<void>;
}

const given = <T>(value: T | undefined): value is T => value !== undefined;
const tidy = (text: string | null | undefined) => text?.trim() || null;

/**
 * Saves one list: items named by id are changed, items without id are added, items
 * whose id is in `remove` are deleted, everything else is left alone. Returns the
 * items sent, by their index in the input (for the rules' messages), and all the
 * items the note keeps.
 */
async function saveList<E extends Item, I extends { id?: string | null }>(
  tx: Em,
  note: NoteOfVisit,
  spec: ListSave<E, I>,
  inputs: I[] | null | undefined,
  remove: Set<string>,
): Promise<{ sent: E[]; all: E[] }> {
  const section = listSection(spec.key);
  const current = (await (note[spec.key] as unknown as { load(): Promise<{ getItems(): E[] }> }).load()).getItems();
  const kept: E[] = [];
  for (const [i, item] of current.entries()) {
    if (!remove.has(item.id)) {
      kept.push(item);
      continue;
    }
    remove.delete(item.id);
    await spec.mayRemove?.(tx, item, section.itemLabel(item as never, i));
    tx.remove(item);
  }
  if (!inputs) return { sent: [], all: kept };
  const sent: E[] = [];
  const added: E[] = [];
  for (const [i, input] of inputs.entries()) {
    const path = `${spec.key}.${i}`;
    let item: E | undefined;
    if (input.id) {
      const id = checkId(input.id, `${path}.id`);
      item = kept.find((k) => k.id === id);
      if (!item) {
        const why = current.some((c) => c.id === id) ? 'it is also in `remove`' : 'no such item is in this note (reload the note: someone may have removed it)';
        throw badInput(`${section.itemLabel(input as never, i)}: ${why}.`, `${path}.id`);
      }
    } else {
      item = spec.same?.(kept, input);
    }
    if (item && sent.includes(item)) throw badInput(`${section.itemLabel(input as never, i)} is sent twice.`, path);
    if (!item) {
      item = spec.create(note);
      added.push(item);
      tx.persist(item);
    }
    spec.apply(item, input, path);
    sent.push(item);
  }
  const all = [...kept, ...added];
  if (all.length > MOST[spec.key]!) throw badInput(`${section.title}: a note keeps at most ${MOST[spec.key]}; remove some first.`, spec.key);
  if (spec.positioned) {
    // The order sent when the client sent every item the note keeps; otherwise places are kept, new items last.
    const ordered = kept.every((k) => sent.includes(k)) ? sent : [...kept, ...added];
    ordered.forEach((item, i) => (item.position = i + 1));
  }
  return { sent, all };
}

const JUDGEMENTS: ListSave<Judgement, JudgementInput> = {
  key: 'judgements',
  positioned: false,
  create: (note) => Object.assign(new Judgement(), { note: ref(note) }),
  same: (items, input) => items.find((j) => j.area === input.area),
  apply(j, input, path) {
    if (j.area && j.area !== input.area) {
      throw badInput(
        `${JUDGEMENT_AREA_LABELS[j.area]}: a judgement keeps its heading; remove it and add one for ${JUDGEMENT_AREA_LABELS[input.area]} instead.`,
        `${path}.area`,
      );
    }
    j.area = input.area;
    if (given(input.schoolGrade)) j.schoolGrade = input.schoolGrade;
    if (input.insufficientEvidence !== undefined && input.insufficientEvidence !== null) j.insufficientEvidence = input.insufficientEvidence;
    if (given(input.partnerGrade)) j.partnerGrade = input.partnerGrade;
    if (j.insufficientEvidence && input.partnerGrade === undefined) j.partnerGrade = null;
    if (given(input.evidenceBasis)) j.evidenceBasis = input.evidenceBasis;
    if (given(input.disagreementReason)) j.disagreementReason = tidy(input.disagreementReason);
    if (given(input.commentary)) j.commentary = tidy(input.commentary);
  },
  async mayRemove(_tx, j, label) {
    if (j.headteacherComment)
      throw conflict(`${label}: the headteacher commented on this heading, so it stays in the note with their comment.`, { field: 'judgements' });
  },
};

const FINDINGS: ListSave<Finding, FindingInput> = {
  key: 'findings',
  positioned: true,
  create: (note) => Object.assign(new Finding(), { note: ref(note) }),
  apply(f, input) {
    f.text = input.text.trim();
    f.evidenceBasis = input.evidenceBasis;
    if (given(input.area)) f.area = input.area;
  },
};

const RECOMMENDATIONS: ListSave<Recommendation, RecommendationInput> = {
  key: 'recommendations',
  positioned: true,
  create: (note) => Object.assign(new Recommendation(), { note: ref(note) }),
  apply(r, input) {
    Object.assign(r, { action: input.action.trim(), successMeasure: input.successMeasure.trim(), ownerRole: input.ownerRole.trim(), dueOn: input.dueOn });
    if (given(input.ownerInitials)) r.ownerInitials = input.ownerInitials;
  },
  async mayRemove(tx, r, label) {
    const review = await tx.findOne(RecommendationReview, { recommendation: r.id }, { populate: ['note.visit'] });
    if (review) {
      const when = businessDateOf(review.note.getEntity().visit.getEntity().startsAt);
      throw conflict(`${label} was reviewed in the note of a later visit (${when}), so it stays in this note; correct its wording instead.`, {
        field: 'recommendations',
      });
    }
  },
};

const TARGETS: ListSave<NoteTarget, TargetInput> = {
  key: 'targets',
  positioned: true,
  create: (note) => Object.assign(new NoteTarget(), { note: ref(note) }),
  apply: (t, input) => Object.assign(t, { keyStage: input.keyStage, measure: input.measure.trim(), year: input.year, value: input.value }),
};

const DISTRIBUTION: ListSave<NoteRecipient, RecipientInput> = {
  key: 'distribution',
  positioned: true,
  create: (note) => Object.assign(new NoteRecipient(), { note: ref(note) }),
  apply(r, input) {
    Object.assign(r, { role: input.role, name: input.name.trim() });
    if (given(input.email)) r.email = input.email?.trim().toLowerCase() || null;
  },
};

/** The people a note must not name: the school's register, the visit's attendees, whoever answered for the school. */
export async function peopleOf(tx: Em, note: NoteOfVisit, visit: Visit, extraNames: string[] = []): Promise<KnownPerson[]> {
  const school = await visit.school.loadOrFail();
  const [attendees, section, responses, distribution] = await Promise.all([
    visit.attendees.load().then((a) => a.getItems()),
    tx.findOne(SchoolSection, { visit: visit.id }),
    note.responses.load().then((r) => r.getItems()),
    note.distribution.load().then((d) => d.getItems()),
  ]);
  const roleWords = (role: string) => role.replaceAll('_', ' ').toLowerCase();
  return [
    ...(school.headteacher?.name ? [{ name: school.headteacher.name, role: 'headteacher' }] : []),
    ...(school.chairOfGovernors?.name ? [{ name: school.chairOfGovernors.name, role: 'chair of governors' }] : []),
    ...attendees.filter((a) => !a.partner).map((a) => ({ name: a.name, role: roleWords(a.role) })),
    ...(section?.completedBy ? [{ name: section.completedBy, role: 'member of staff' }] : []),
    ...responses.filter((r) => r.respondent).map((r) => ({ name: r.respondent!, role: 'headteacher' })),
    ...distribution.filter((r) => r.role !== RecipientRole.COUNCIL).map((r) => ({ name: r.name, role: roleWords(r.role) })),
    ...extraNames.map((name) => ({ name, role: 'member of staff' })),
  ];
}

/** A partner's (or an amending moderator's) save: only what the input names changes. */
export async function applyNoteUpdate(tx: Em, access: AccessPolicy, note: NoteOfVisit, input: UpdateNoteInput): Promise<void> {
  const visit = await note.visit.loadOrFail();
  const notNames = (input.notNames ?? []).map((p) => p.trim()).filter(Boolean);
  checkNoNames(
    partnerTexts(input as unknown as Record<string, unknown>),
    await peopleOf(
      tx,
      note,
      visit,
      (input.distribution ?? []).map((r) => r.name),
    ),
    [...note.confirmedNotNames, ...notNames],
  );
  if (notNames.length) note.confirmedNotNames = [...new Set([...note.confirmedNotNames, ...notNames])];

  if (input.allowMoreRecommendationsBecause) {
    access.assertManager('allow more than four recommendations');
    note.recommendationLimitOverrideReason = input.allowMoreRecommendationsBecause.trim();
    note.recommendationLimitOverriddenBy = signedInPartnerRef(access.principal);
  }
  // Every text of the note's own a partner writes, as note-content.ts lists them (api/test/note-fields.test.ts).
  for (const key of PARTNER_NOTE_TEXTS) {
    const value = (input as unknown as Record<string, string | null | undefined>)[key];
    if (value !== undefined) (note as unknown as Record<string, string | null>)[key] = tidy(value);
  }

  const remove = new Set((input.remove ?? []).map((id, i) => checkId(id, `remove.${i}`)));
  const judgements = await saveList(tx, note, JUDGEMENTS, input.judgements, remove);
  await saveList(tx, note, FINDINGS, input.findings, remove);
  const recommendations = await saveList(tx, note, RECOMMENDATIONS, input.recommendations, remove);
  await saveList(tx, note, TARGETS, input.targets, remove);
  await saveList(tx, note, DISTRIBUTION, input.distribution, remove);
  if (remove.size)
    throw badInput(
      `${remove.size === 1 ? 'An item you removed is' : `${remove.size} items you removed are`} no longer in this note (someone may have removed it already): reload the note and try again.`,
      'remove',
    );

  // The rules read the note as it will be, not just what was sent.
  checkJudgements(judgements.all, judgements.sent);
  checkRecommendations(recommendations.all, recommendations.sent, businessDateOf(visit.startsAt), !!note.recommendationLimitOverrideReason);

  if (input.reviews) {
    const reviews = (await note.reviews.load()).getItems();
    input.reviews.forEach((r, i) => {
      const review = reviews.find((x) => x.recommendation.id === checkId(r.recommendationId, `reviews.${i}.recommendationId`));
      if (!review) throw badInput(`Review ${i + 1}: that recommendation is not carried into this note.`, `reviews.${i}.recommendationId`);
      Object.assign(review, { progress: r.progress, comment: tidy(r.comment) });
    });
  }
}
