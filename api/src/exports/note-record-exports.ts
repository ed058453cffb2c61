import { canSeeNoteSql } from '../notes/note.access.js';
import { changedSince, type BulkExport } from './export-plan.js';
import type { ExportColumn } from './export-table.js';
import { VISIT_KEY_COLUMNS, visitsOf } from './visit-export.js';

/**
 * Records of the notes of visit (judgements, recommendations, targets), one a row, with the
 * visit's parameters (VisitFilter: the visits whose notes they are) and changedSince on the note,
 * the record they belong to. What the principal may see: the visit's (visitsOf), then the note's
 * (a service: circulated notes only, notes/note.access.ts).
 */
function noteRecordExport(name: string, table: string, type: string, own: ExportColumn[]): BulkExport {
  return {
    name,
    through: ['Query.visits', 'Visit.note', `NoteOfVisit.${name}`],
    async plan({ em, access, schema }, query) {
      const { where, since } = await visitsOf(em, schema, access, query);
      return {
        columns: [
          { header: 'Id', key: 'id', sql: 'c.id', field: `${type}.id` },
          { header: 'Note id', key: 'noteId', sql: 'n.id', field: 'NoteOfVisit.id' },
          ...VISIT_KEY_COLUMNS,
          { header: 'Visit starts at', key: 'visitStartsAt', sql: 'x.starts_at', field: 'Visit.startsAt' },
          { header: 'Visit type', key: 'visitType', sql: 'x.type', field: 'Visit.type' },
          ...own,
          { header: 'Note status', key: 'noteStatus', sql: 'n.status', field: 'NoteOfVisit.status' },
          { header: 'Note updated at', key: 'noteUpdatedAt', sql: 'n.updated_at', field: 'NoteOfVisit.updatedAt' },
        ],
        source: {
          from: `${table} c join note_of_visit n on n.id = c.note_id join visit x on x.id = n.visit_id join school s on s.id = x.school_id`,
          where: [...where, { sql: canSeeNoteSql(access, 'n'), params: [] }, ...changedSince('n.updated_at', since)],
          order: [{ sql: 'c.id', type: 'uuid' }],
          direction: 'asc',
        },
      };
    },
  };
}

export const judgementsExport = noteRecordExport('judgements', 'judgement', 'Judgement', [
  { header: 'Area', key: 'area', sql: 'c.area', field: 'Judgement.area' },
  { header: 'School grade', key: 'schoolGrade', sql: 'c.school_grade', field: 'Judgement.schoolGrade' },
  { header: 'Partner grade', key: 'partnerGrade', sql: 'c.partner_grade', field: 'Judgement.partnerGrade' },
  { header: 'Insufficient evidence', key: 'insufficientEvidence', sql: 'c.insufficient_evidence', field: 'Judgement.insufficientEvidence' },
  { header: 'Evidence basis', key: 'evidenceBasis', sql: 'c.evidence_basis', field: 'Judgement.evidenceBasis' },
  { header: 'Commentary', key: 'commentary', sql: 'c.commentary', field: 'Judgement.commentary' },
  { header: 'Disagreement reason', key: 'disagreementReason', sql: 'c.disagreement_reason', field: 'Judgement.disagreementReason' },
  { header: 'Headteacher comment', key: 'headteacherComment', sql: 'c.headteacher_comment', field: 'Judgement.headteacherComment' },
]);

export const recommendationsExport = noteRecordExport('recommendations', 'recommendation', 'Recommendation', [
  { header: 'Position', key: 'position', sql: 'c.position', field: 'Recommendation.position' },
  { header: 'Action', key: 'action', sql: 'c.action', field: 'Recommendation.action' },
  { header: 'Success measure', key: 'successMeasure', sql: 'c.success_measure', field: 'Recommendation.successMeasure' },
  { header: 'Owner role', key: 'ownerRole', sql: 'c.owner_role', field: 'Recommendation.ownerRole' },
  { header: 'Owner initials', key: 'ownerInitials', sql: 'c.owner_initials', field: 'Recommendation.ownerInitials' },
  { header: 'Due on', key: 'dueOn', sql: 'c.due_on::text', field: 'Recommendation.dueOn' },
  { header: 'Status', key: 'status', sql: 'c.status', field: 'Recommendation.status' },
]);

export const targetsExport = noteRecordExport('targets', 'note_target', 'NoteTarget', [
  { header: 'Position', key: 'position', sql: 'c.position', field: 'NoteTarget.position' },
  { header: 'Key stage', key: 'keyStage', sql: 'c.key_stage', field: 'NoteTarget.keyStage' },
  { header: 'Measure', key: 'measure', sql: 'c.measure', field: 'NoteTarget.measure' },
  { header: 'Year', key: 'year', sql: 'c.year', field: 'NoteTarget.year' },
  { header: 'Target (%)', key: 'value', sql: 'c.value::float8', field: 'NoteTarget.value' },
]);
