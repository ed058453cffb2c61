import type { FilterQuery } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import type { AccessPolicy } from '../auth/access-policy.js';
import { businessToday } from '../calendar/today.js';
import type { Em } from '../db/orm.js';
import { badInput } from '../errors.js';
import { checkId } from '../graphql/lookup.js';
import { Partner } from '../partners/partner.entity.js';
import { NoteOfVisit } from './note-of-visit.entity.js';
import { NoteStatus } from './note.enums.js';

@ObjectType({ simpleResolvers: true, description: "One partner's late notes of visit." })
export class OverdueNotesOfPartner {
  @Field(() => Partner)
  partner!: Partner;

  @Field(() => Int, { description: 'Drafts not yet shared with the headteacher 5 working days after the visit.' })
  lateDrafts!: number;

  @Field(() => Int, { description: 'Notes not yet circulated 10 working days after the visit.' })
  lateCirculations!: number;

  @Field(() => [NoteOfVisit], { description: 'The late notes, most overdue first (empty for other council systems: the notes are not circulated).' })
  notes!: NoteOfVisit[];
}

/** Late: a draft past its draft date, or any note not circulated by its circulation date. */
export function isLate(note: Pick<NoteOfVisit, 'status' | 'draftDueOn' | 'circulationDueOn'>, today: string): boolean {
  if (note.status === NoteStatus.CIRCULATED) return false;
  return (note.status === NoteStatus.DRAFT && note.draftDueOn < today) || note.circulationDueOn < today;
}

/** The same rule as a query condition. */
export function overdueWhere(today: string): FilterQuery<NoteOfVisit> {
  return {
    $or: [
      { status: NoteStatus.DRAFT, draftDueOn: { $lt: today } },
      { status: { $ne: NoteStatus.CIRCULATED }, circulationDueOn: { $lt: today } },
    ],
  };
}

/**
 * Late notes by partner: a manager or a service sees everyone's, a partner their own;
 * optionally one partner's, or one local authority's (a national service serves many).
 */
export async function overdueNotes(
  em: Em,
  access: AccessPolicy,
  { partnerId = null, laCode = null }: { partnerId?: string | null; laCode?: number | null } = {},
  today = businessToday(),
): Promise<OverdueNotesOfPartner[]> {
  const where: FilterQuery<NoteOfVisit>[] = [overdueWhere(today)];
  if (access.principal.kind === 'person' && !access.isManager) where.push({ author: access.principal.partner.id });
  if (partnerId) where.push({ author: checkId(partnerId, 'partnerId') });
  if (laCode !== null) {
    if (!Number.isInteger(laCode) || laCode < 100 || laCode > 999) throw badInput('laCode must be a three-digit local authority code, e.g. 926.', 'laCode');
    where.push({ visit: { school: { laCode } } });
  }
  const notes = await em.find(NoteOfVisit, { $and: where }, { populate: ['author'], orderBy: { circulationDueOn: 'asc', id: 'asc' } });
  const byPartner = new Map<string, OverdueNotesOfPartner>();
  for (const note of notes) {
    const partner = note.author.getEntity();
    const group = byPartner.get(partner.id) ?? { partner, lateDrafts: 0, lateCirculations: 0, notes: [] };
    if (note.status === NoteStatus.DRAFT && note.draftDueOn < today) group.lateDrafts += 1;
    if (note.circulationDueOn < today) group.lateCirculations += 1;
    if (access.canSeeNote(note)) group.notes.push(note);
    byPartner.set(partner.id, group);
  }
  return [...byPartner.values()].sort((a, b) => b.lateDrafts + b.lateCirculations - (a.lateDrafts + a.lateCirculations) || a.partner.name.localeCompare(b.partner.name));
}
