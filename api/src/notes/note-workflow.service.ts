import { LockMode, ref, wrap } from '@mikro-orm/core';
import { currentActor } from '../audit/audit-context.js';
import type { AccessPolicy } from '../auth/access-policy.js';
import { businessDateOf } from '../calendar/today.js';
import type { Em } from '../db/orm.js';
import { checkVersion } from '../db/versioning.js';
import { badInput, conflict, notFound } from '../errors.js';
import { checkId, findOr404 } from '../graphql/lookup.js';
import type { School } from '../schools/school.entity.js';
import { prefillSchoolView } from '../school-side/school-answers.service.js';
import { SchoolSection } from '../school-side/school-section.entity.js';
import { sendHeadteacherResponseLink } from '../school-side/links.service.js';
import type { SchoolSideDeps } from '../school-side/school-side.js';
import { Visit } from '../visits/visit.entity.js';
import { VisitStatus, visitTypeHasNote } from '../visits/visit.enums.js';
import { Finding } from './finding.entity.js';
import { Judgement } from './judgement.entity.js';
import { noteDeadlines } from './note-deadlines.js';
import type { UpdateNoteInput } from './note-inputs.js';
import { NoteOfVisit } from './note-of-visit.entity.js';
import { loadNoteParts } from './note-parts.js';
import { NoteRecipient } from './note-recipient.entity.js';
import { NoteRevision } from './note-revision.entity.js';
import { checkJudgements, checkNoNames, checkRecommendations, STATUS_AFTER_REVIEW, type KnownPerson } from './note-rules.js';
import { NoteTarget } from './note-target.entity.js';
import { JudgementArea, ModerationDecision, NoteStatus, RecipientRole, RecommendationStatus } from './note.enums.js';
import { RecommendationReview } from './recommendation-review.entity.js';
import { Recommendation } from './recommendation.entity.js';

const EDITABLE = [NoteStatus.DRAFT, NoteStatus.DISPUTED];


/**
 * Loads a note for a change inside the transaction: the row is locked first, so
 * two saves of the same note queue up and the second sees the first's version
 * (and gets CONFLICT) instead of overwriting it.
 */
async function lockNote(tx: Em, access: AccessPolicy, id: string, expectedVersion?: number | null): Promise<NoteOfVisit> {
  const note = await tx.findOne(NoteOfVisit, { id: checkId(id) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!note) throw notFound('NoteOfVisit', id);
  access.assertCanEditNote(note);
  checkVersion(note, expectedVersion, 'note');
  return note;
}

function requireStatus(note: NoteOfVisit, allowed: NoteStatus[], action: string): void {
  if (!allowed.includes(note.status)) {
    const hint = note.status === NoteStatus.CIRCULATED ? ' A circulated note is read-only: correct it with correctNote.' : '';
    throw conflict(`This note is ${note.status}; it can be ${action} only when ${allowed.join(' or ')}.${hint}`);
  }
}

/** Someone changed the note: its version moves on even when only its lists changed. */
const touch = (note: NoteOfVisit) => {
  note.updatedAt = new Date();
};

/**
 * Starts the note of a visit that has taken place (or returns the one already
 * started): the five inspection headings ready to grade, the school's contacts
 * on the distribution list, and the school's open recommendations from earlier
 * notes carried in for review.
 */
export async function startNote(em: Em, access: AccessPolicy, visitId: string, now = new Date()): Promise<NoteOfVisit> {
  return em.fork().transactional(async (tx) => {
    const visit = await findOr404(tx as Em, Visit, 'Visit', visitId, 'visitId');
    access.assertCanEditVisit(visit);
    if (!visitTypeHasNote(visit.type)) {
      throw badInput(
        'A headteacher performance-management visit has no note of visit: leave the governors a feedback form instead.',
        'visitId',
      );
    }
    if (visit.status === VisitStatus.CANCELLED) throw conflict('This visit was cancelled; it has no note of visit.');
    if (visit.startsAt > now) throw badInput('This visit has not taken place yet: start its note afterwards.', 'visitId');
    const existing = await tx.findOne(NoteOfVisit, { visit: visit.id });
    if (existing) return existing;

    const school = await visit.school.loadOrFail();
    const note = Object.assign(new NoteOfVisit(), {
      visit: ref(visit),
      author: visit.leadPartner,
      status: NoteStatus.DRAFT,
      ...noteDeadlines(visit.startsAt),
    });
    tx.persist(note);
    for (const area of Object.values(JudgementArea)) tx.persist(Object.assign(new Judgement(), { note: ref(note), area }));
    const contacts: [RecipientRole, School['headteacher']][] = [
      [RecipientRole.HEADTEACHER, school.headteacher],
      [RecipientRole.CHAIR_OF_GOVERNORS, school.chairOfGovernors],
    ];
    contacts
      .filter(([, c]) => c?.name)
      .forEach(([role, c], i) => tx.persist(Object.assign(new NoteRecipient(), { note: ref(note), position: i + 1, role, name: c!.name, email: c!.email ?? null })));

    // Carry forward: every recommendation still open in the school's earlier notes.
    const open = await tx.find(
      Recommendation,
      { status: RecommendationStatus.OPEN, note: { visit: { school: school.id, startsAt: { $lt: visit.startsAt } } } },
      { orderBy: { dueOn: 'asc', position: 'asc' } },
    );
    for (const recommendation of open) tx.persist(Object.assign(new RecommendationReview(), { note: ref(note), recommendation: ref(recommendation) }));
    if (visit.status === VisitStatus.BOOKED) Object.assign(visit, { status: VisitStatus.COMPLETED, completedAt: now });
    await tx.flush();
    const section = await tx.findOne(SchoolSection, { visit: visit.id });
    if (section) await prefillSchoolView(note, section);
    return note;
  });
}

/** The people a note must not name: the school's headteacher and chair, and the visit's attendees. */
async function peopleOf(visit: Visit): Promise<KnownPerson[]> {
  const school = await visit.school.loadOrFail();
  const attendees = (await visit.attendees.load()).getItems();
  return [
    ...(school.headteacher?.name ? [{ name: school.headteacher.name, role: 'headteacher' }] : []),
    ...(school.chairOfGovernors?.name ? [{ name: school.chairOfGovernors.name, role: 'chair of governors' }] : []),
    ...attendees.filter((a) => !a.partner).map((a) => ({ name: a.name, role: a.role.replaceAll('_', ' ') })),
  ];
}

function bodyTexts(input: UpdateNoteInput) {
  return [
    { field: 'input.purpose', text: input.purpose },
    { field: 'input.summary', text: input.summary },
    ...(input.judgements ?? []).flatMap((j, i) => [
      { field: `input.judgements[${i}].disagreementReason`, text: j.disagreementReason },
      { field: `input.judgements[${i}].commentary`, text: j.commentary },
    ]),
    ...(input.findings ?? []).map((f, i) => ({ field: `input.findings[${i}].text`, text: f.text })),
    ...(input.recommendations ?? []).flatMap((r, i) => [
      { field: `input.recommendations[${i}].action`, text: r.action },
      { field: `input.recommendations[${i}].successMeasure`, text: r.successMeasure },
      { field: `input.recommendations[${i}].ownerRole`, text: r.ownerRole },
    ]),
    ...(input.reviews ?? []).map((r, i) => ({ field: `input.reviews[${i}].comment`, text: r.comment })),
  ];
}

/** Replaces a list of a note's children: old rows go first, as positions are unique. */
async function replaceChildren<T extends object>(tx: Em, current: { load(): Promise<{ getItems(): T[] }> }, fresh: T[]): Promise<void> {
  tx.remove((await current.load()).getItems());
  await tx.flush();
  fresh.forEach((child) => tx.persist(child));
}

export async function updateNote(em: Em, access: AccessPolicy, id: string, expectedVersion: number, input: UpdateNoteInput): Promise<NoteOfVisit> {
  return em.fork().transactional(async (tx) => {
    const note = await lockNote(tx as Em, access, id, expectedVersion);
    // A moderator whose decision amends the note makes the amendment before it is circulated.
    requireStatus(note, access.isManager ? [...EDITABLE, NoteStatus.MODERATED] : EDITABLE, 'edited');
    const visit = await note.visit.loadOrFail();
    checkNoNames(bodyTexts(input), await peopleOf(visit));

    if (input.allowMoreRecommendationsBecause) {
      access.assertManager('allow more than four recommendations');
      note.recommendationLimitOverrideReason = input.allowMoreRecommendationsBecause.trim();
      note.recommendationLimitOverriddenBy = access.principal.kind === 'person' ? ref(access.principal.partner) : null;
    }
    if (input.purpose !== undefined) note.purpose = input.purpose?.trim() || null;
    if (input.summary !== undefined) note.summary = input.summary?.trim() || null;

    if (input.judgements) {
      checkJudgements(input.judgements);
      await replaceChildren(tx as Em, note.judgements, input.judgements.map((j) =>
        Object.assign(new Judgement(), {
          note: ref(note),
          area: j.area,
          schoolGrade: j.schoolGrade ?? null,
          partnerGrade: j.insufficientEvidence ? null : (j.partnerGrade ?? null),
          insufficientEvidence: j.insufficientEvidence,
          evidenceBasis: j.evidenceBasis ?? null,
          disagreementReason: j.disagreementReason?.trim() || null,
          commentary: j.commentary?.trim() || null,
        }),
      ));
    }
    if (input.findings) {
      await replaceChildren(tx as Em, note.findings, input.findings.map((f, i) =>
        Object.assign(new Finding(), { note: ref(note), position: i + 1, area: f.area ?? null, text: f.text.trim(), evidenceBasis: f.evidenceBasis }),
      ));
    }
    if (input.recommendations) {
      checkRecommendations(input.recommendations, businessDateOf(visit.startsAt), !!note.recommendationLimitOverrideReason);
      await replaceChildren(tx as Em, note.recommendations, input.recommendations.map((r, i) =>
        Object.assign(new Recommendation(), {
          note: ref(note),
          position: i + 1,
          action: r.action.trim(),
          successMeasure: r.successMeasure.trim(),
          ownerRole: r.ownerRole.trim(),
          ownerInitials: r.ownerInitials ?? null,
          dueOn: r.dueOn,
        }),
      ));
    }
    if (input.reviews) {
      const reviews = (await note.reviews.load()).getItems();
      input.reviews.forEach((r, i) => {
        const review = reviews.find((x) => x.recommendation.id === checkId(r.recommendationId, `input.reviews[${i}].recommendationId`));
        if (!review) throw badInput(`input.reviews[${i}]: that recommendation is not carried into this note.`, `input.reviews[${i}].recommendationId`);
        Object.assign(review, { progress: r.progress, comment: r.comment?.trim() || null });
      });
    }
    if (input.targets) {
      await replaceChildren(tx as Em, note.targets, input.targets.map((t, i) =>
        Object.assign(new NoteTarget(), { note: ref(note), position: i + 1, keyStage: t.keyStage, measure: t.measure.trim(), year: t.year, value: t.value }),
      ));
    }
    if (input.distribution) {
      await replaceChildren(tx as Em, note.distribution, input.distribution.map((r, i) =>
        Object.assign(new NoteRecipient(), { note: ref(note), position: i + 1, role: r.role, name: r.name.trim(), email: r.email?.trim().toLowerCase() ?? null }),
      ));
    }
    touch(note);
    return note;
  });
}

/** Draft (or disputed and amended) → shared with the headteacher: only once every carried recommendation is reviewed. */
export async function shareNote(
  em: Em,
  access: AccessPolicy,
  id: string,
  expectedVersion: number,
  schoolSide: SchoolSideDeps | null,
  now = new Date(),
): Promise<NoteOfVisit> {
  const shared = await em.fork().transactional(async (tx) => {
    const note = await lockNote(tx as Em, access, id, expectedVersion);
    requireStatus(note, EDITABLE, 'shared');
    const unreviewed = (await note.reviews.load({ populate: ['recommendation'] })).getItems().filter((r) => !r.progress);
    if (unreviewed.length) {
      const list = unreviewed.map((r) => `"${r.recommendation.getEntity().action.slice(0, 60)}"`).join(', ');
      throw badInput(
        `Review every recommendation carried from the previous note before sharing: ${unreviewed.length} still need a progress (${list}).`,
        'reviews',
      );
    }
    if (!note.summary?.trim()) throw badInput('Write the summary before sharing the note.', 'summary');
    const judgements = (await note.judgements.load()).getItems();
    const ungraded = judgements.filter((j) => !j.partnerGrade && !j.insufficientEvidence);
    if (ungraded.length) {
      throw badInput(
        `Grade or mark "insufficient evidence" for every heading kept in the note (or leave the heading out): ${ungraded.map((j) => j.area).join(', ')}.`,
        'judgements',
      );
    }
    Object.assign(note, { status: NoteStatus.SHARED, sharedAt: now, headteacherAgreed: null, headteacherRespondedAt: null });
    // The headteacher's link to read and answer the draft goes out with the sharing, or not at all.
    if (schoolSide) await sendHeadteacherResponseLink(tx as Em, schoolSide, note, now);
    return note;
  });
  schoolSide?.outbox.kick();
  return shared;
}

export function recordHeadteacherResponse(em: Em, access: AccessPolicy, id: string, agreed: boolean, comment: string | null, now = new Date()): Promise<NoteOfVisit> {
  if (!agreed && !comment?.trim()) throw badInput("Record what the headteacher disputes: a comment is needed when they do not agree.", 'comment');
  return em.fork().transactional(async (tx) => {
    const note = await lockNote(tx as Em, access, id);
    requireStatus(note, [NoteStatus.SHARED], 'answered by the headteacher');
    Object.assign(note, {
      status: agreed ? NoteStatus.AGREED : NoteStatus.DISPUTED,
      headteacherAgreed: agreed,
      headteacherComment: comment?.trim() || null,
      headteacherRespondedAt: now,
    });
    return note;
  });
}

/** A senior adviser settles a dispute; their decision is final and the disagreement stays on record. */
export function moderateNote(em: Em, access: AccessPolicy, id: string, decision: ModerationDecision, comment: string, now = new Date()): Promise<NoteOfVisit> {
  access.assertManager('moderate a disputed note');
  if (!comment.trim()) throw badInput('Explain the moderation decision: it is kept in the note.', 'comment');
  return em.fork().transactional(async (tx) => {
    const note = await lockNote(tx as Em, access, id);
    requireStatus(note, [NoteStatus.DISPUTED], 'moderated');
    Object.assign(note, {
      status: NoteStatus.MODERATED,
      moderationDecision: decision,
      moderationComment: comment.trim(),
      moderatedBy: access.principal.kind === 'person' ? ref(access.principal.partner) : null,
      moderatedAt: now,
    });
    return note;
  });
}

/** The note as it goes out: everything a reader of the circulated note sees. */
async function snapshot(note: NoteOfVisit): Promise<Record<string, unknown>> {
  const { judgements, findings, recommendations, reviews, targets, distribution } = await loadNoteParts(note);
  const plain = <T extends object>(items: Iterable<T>, omit: string[] = []) =>
    [...items].map((item) => {
      const { id: _id, note: _note, createdAt: _c, updatedAt: _u, ...rest } = wrap(item).toObject() as Record<string, unknown>;
      for (const key of omit) delete rest[key];
      return rest;
    });
  return {
    revision: note.revision,
    purpose: note.purpose,
    summary: note.summary,
    draftDueOn: note.draftDueOn,
    circulationDueOn: note.circulationDueOn,
    headteacherAgreed: note.headteacherAgreed,
    headteacherComment: note.headteacherComment,
    moderationDecision: note.moderationDecision,
    moderationComment: note.moderationComment,
    judgements: plain(judgements),
    findings: plain(findings),
    recommendations: plain(recommendations),
    reviews: reviews.map((r) => ({ progress: r.progress, comment: r.comment, recommendation: r.recommendation.getEntity().action })),
    targets: plain(targets),
    distribution: plain(distribution),
  };
}

/** Agreed or moderated → circulated to its distribution list, and locked; kept as it went out. */
export function circulateNote(em: Em, access: AccessPolicy, id: string, expectedVersion: number, now = new Date()): Promise<NoteOfVisit> {
  return em.fork().transactional(async (tx) => {
    const note = await lockNote(tx as Em, access, id, expectedVersion);
    requireStatus(note, [NoteStatus.AGREED, NoteStatus.MODERATED], 'circulated');
    if ((await note.distribution.load()).length === 0) throw badInput('Add the distribution list (headteacher, chair of governors, council) before circulating.', 'distribution');
    for (const review of (await note.reviews.load({ populate: ['recommendation'] })).getItems()) {
      if (review.progress) review.recommendation.getEntity().status = STATUS_AFTER_REVIEW[review.progress];
    }
    Object.assign(note, { status: NoteStatus.CIRCULATED, circulatedAt: now });
    tx.persist(
      Object.assign(new NoteRevision(), {
        note: ref(note),
        revision: note.revision,
        circulatedAt: now,
        circulatedBy: currentActor().actor,
        content: await snapshot(note),
      }),
    );
    return note;
  });
}

/** Reopens a circulated note as its next revision; the circulated one stays, unchanged, in `revisions`. */
export function correctNote(em: Em, access: AccessPolicy, id: string, expectedVersion: number, reason: string): Promise<NoteOfVisit> {
  if (!reason.trim()) throw badInput('Say what needs correcting: the reason is kept with the note.', 'reason');
  return em.fork().transactional(async (tx) => {
    const note = await lockNote(tx as Em, access, id, expectedVersion);
    if (note.status !== NoteStatus.CIRCULATED) throw conflict('Only a circulated note is corrected; edit a draft directly.');
    Object.assign(note, { status: NoteStatus.DRAFT, revision: note.revision + 1, correctionReason: reason.trim(), circulatedAt: null, sharedAt: null });
    return note;
  });
}

