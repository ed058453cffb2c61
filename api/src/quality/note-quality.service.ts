import { randomBytes } from 'node:crypto';
import { LockMode, ref } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em } from '../platform/db/orm.js';
import { academicYearBounds, checkAcademicYear } from '../platform/dates/academic-year.js';
import { DomainEventKind, recordEvent } from '../platform/events/domain-events.js';
import { badInput, conflict, notFound } from '../platform/errors.js';
import { checkId } from '../platform/graphql/lookup.js';
import { NoteOfVisit } from '../notes/note-of-visit.entity.js';
import { Partner } from '../partners/partner.entity.js';
import { signedInPartnerRef } from '../partners/signed-in-partner.js';
import type { VisitType } from '../visits/visit.enums.js';
import { NoteEvaluation, EvaluationScore } from './note-evaluation.entity.js';
import { NoteSample, NoteSampleMember } from './note-sample.entity.js';
import { defaultProForma } from './pro-forma.defaults.js';
import { ProFormaCriterion, ProFormaScaleLevel, QualityProForma } from './pro-forma.entity.js';
import type { DrawNoteSampleInput, EvaluateSampledNoteInput, SaveProFormaInput } from './quality.input.js';
import { DEFAULT_PER_PARTNER, drawSample, type SampleCandidate } from './sampling.rules.js';

/** The pro forma new evaluations are given on: the one a manager saved last, else the handbook's default. */
export async function activeProForma(em: Em): Promise<QualityProForma> {
  return (await em.findOne(QualityProForma, { active: true }, { orderBy: { createdAt: 'desc', id: 'desc' } })) ?? defaultProForma();
}

/** A manager's change to the pro forma is a new version, made active; the earlier ones (and evaluations given on them) stay. */
export function saveProForma(em: Em, access: AccessPolicy, input: SaveProFormaInput): Promise<QualityProForma> {
  access.assertManager('change the quality pro forma');
  const keys = input.criteria.map((c) => c.key);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice) throw badInput(`Two criteria have the key "${twice}": give each its own.`, 'criteria');
  const scores = input.scale.map((s) => s.score);
  if (scores.some((s, i) => i > 0 && s <= scores[i - 1]!)) throw badInput('List the scale from the lowest score to the highest, each score once.', 'scale');
  return em.fork().transactional(async (tx) => {
    await tx.nativeUpdate(QualityProForma, { active: true }, { active: false });
    const proForma = Object.assign(new QualityProForma(), {
      name: input.name.trim(),
      active: true,
      criteria: input.criteria.map((c) => Object.assign(new ProFormaCriterion(), { key: c.key, label: c.label.trim(), guidance: c.guidance.trim() })),
      scale: input.scale.map((s) => Object.assign(new ProFormaScaleLevel(), { score: s.score, label: s.label.trim() })),
    });
    tx.persist(proForma);
    return proForma;
  });
}

const CANDIDATES_SQL = `select n.id as note_id, n.author_id as partner_id, v.type as visit_type from note_of_visit n join visit v on v.id = n.visit_id
  where (n.status = 'circulated' or n.first_circulated_at is not null) and v.starts_at >= ? and v.starts_at < ?`;

/** Circulated notes (ever circulated: a note reopened for correction still counts) of visits in the academic year. */
async function candidates(tx: Em, academicYear: string): Promise<SampleCandidate[]> {
  const { from, to } = academicYearBounds(academicYear);
  const rows = await tx.execute<{ note_id: string; partner_id: string; visit_type: string }[]>(CANDIDATES_SQL, [from, to]);
  return rows.map((r) => ({ noteId: r.note_id, partnerId: r.partner_id, visitType: r.visit_type }));
}

/**
 * Draws a sample (quality/sampling.rules.ts) and keeps it with its seed. Drawing again for the same
 * year adds a new sample: a manager may want more notes later in the year. With
 * `skipSampledPartners`, partners in an earlier sample of the year are left out.
 */
export function drawNoteSample(em: Em, access: AccessPolicy, input: DrawNoteSampleInput, now: Date): Promise<NoteSample> {
  access.assertManager('draw a sample of notes');
  const academicYear = checkAcademicYear(input.academicYear);
  const perPartner = input.perPartner ?? DEFAULT_PER_PARTNER;
  const seed = input.seed?.trim() || randomBytes(6).toString('hex');
  return em.fork().transactional(async (tx) => {
    let pool = await candidates(tx as Em, academicYear);
    if (input.skipSampledPartners) {
      const sampled = await tx.execute<{ partner_id: string }[]>(
        'select distinct m.partner_id from note_sample_member m join note_sample s on s.id = m.sample_id where s.academic_year = ?',
        [academicYear],
      );
      const skip = new Set(sampled.map((r) => r.partner_id));
      pool = pool.filter((c) => !skip.has(c.partnerId));
    }
    if (!pool.length) {
      throw badInput(
        input.skipSampledPartners
          ? `Every partner with a circulated note in ${academicYear} has been sampled already.`
          : `No note of a visit in ${academicYear} has been circulated yet: there is nothing to sample.`,
        'academicYear',
      );
    }
    const sample = Object.assign(new NoteSample(), {
      academicYear,
      seed,
      perPartner,
      skippedSampledPartners: !!input.skipSampledPartners,
      drawnBy: signedInPartnerRef(access.principal)!,
      drawnAt: now,
    });
    tx.persist(sample);
    drawSample(pool, { seed, perPartner }).forEach((c, i) =>
      tx.persist(
        Object.assign(new NoteSampleMember(), {
          sample: ref(sample),
          note: tx.getReference(NoteOfVisit, c.noteId, { wrapped: true }),
          partner: tx.getReference(Partner, c.partnerId, { wrapped: true }),
          visitType: c.visitType as VisitType,
          position: i + 1,
        }),
      ),
    );
    return sample;
  });
}

/**
 * A manager scores a sampled note on the active pro forma. Given at once (the partner sees it from
 * then on: myNoteEvaluations) and never changed: a second evaluation of the same sampled note is
 * refused, so the feedback a partner read stays what they read.
 */
export function evaluateSampledNote(em: Em, access: AccessPolicy, input: EvaluateSampledNoteInput, now: Date): Promise<NoteEvaluation> {
  access.assertManager('evaluate a sampled note');
  const summary = input.summary.trim();
  if (!summary) throw badInput('Write the overall feedback for the partner.', 'summary');
  return em.fork().transactional(async (tx) => {
    const member = await tx.findOne(NoteSampleMember, { id: checkId(input.sampleMemberId, 'sampleMemberId') }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!member) throw notFound('NoteSampleMember', input.sampleMemberId);
    const given = await tx.findOne(NoteEvaluation, { sampleMember: member.id }, { populate: ['givenBy'] });
    if (given) {
      throw conflict(
        `This note was evaluated already, by ${given.givenBy.getEntity().name} on ${given.givenAt.toISOString().slice(0, 10)}: an evaluation is kept as the partner received it.`,
      );
    }
    const proForma = await activeProForma(tx as Em);
    const scores: EvaluationScore[] = [];
    for (const criterion of proForma.criteria) {
      const answers = input.scores.filter((s) => s.criterion === criterion.key);
      if (answers.length !== 1) throw badInput(`Score "${criterion.label}" once.`, 'scores');
      const answer = answers[0]!;
      const level = proForma.scale.find((l) => l.score === answer.score);
      if (!level)
        throw badInput(`"${criterion.label}" is scored ${proForma.scale.map((l) => l.score).join(', ')}: ${answer.score} is not on the scale.`, 'scores');
      scores.push(
        Object.assign(new EvaluationScore(), {
          criterionKey: criterion.key,
          criterion: criterion.label,
          score: level.score,
          scoreLabel: level.label,
          comment: answer.comment?.trim() || null,
        }),
      );
    }
    const unknown = input.scores.find((s) => !proForma.criteria.some((c) => c.key === s.criterion));
    if (unknown) throw badInput(`"${unknown.criterion.slice(0, 40)}" is not a criterion of the pro forma "${proForma.name}".`, 'scores');

    const note = await tx.findOneOrFail(NoteOfVisit, { id: member.note.id }, { populate: ['visit'] });
    const evaluation = Object.assign(new NoteEvaluation(), {
      sampleMember: ref(member),
      note: ref(note),
      partner: note.author,
      proFormaName: proForma.name,
      criteria: proForma.criteria.map((c) => ({ key: c.key, label: c.label, guidance: c.guidance })),
      scale: proForma.scale.map((l) => ({ score: l.score, label: l.label })),
      scores: scores.map((s) => ({ ...s })),
      summary,
      givenBy: signedInPartnerRef(access.principal)!,
      givenAt: now,
    });
    tx.persist(evaluation);
    const visit = note.visit.getEntity();
    recordEvent(
      tx as Em,
      {
        kind: DomainEventKind.NOTE_EVALUATION_GIVEN,
        noteId: note.id,
        visitId: visit.id,
        schoolId: visit.school.id,
        partnerId: note.author.id,
        data: { evaluationId: evaluation.id },
      },
      now,
    );
    return evaluation;
  });
}
