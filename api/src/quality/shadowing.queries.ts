import type { FilterQuery } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { WorkingCalendar } from '../platform/dates/working-days.js';
import { businessDateOf } from '../platform/dates/today.js';
import type { Em } from '../platform/db/orm.js';
import { checkId } from '../platform/graphql/lookup.js';
import { Partner } from '../partners/partner.entity.js';
import { PartnerRole } from '../partners/partner.enums.js';
import { VisitStatus } from '../visits/visit.enums.js';
import { Shadowing } from './shadowing.entity.js';
import { nextShadowingDueBy, ShadowingState, shadowingState } from './shadowing.rules.js';

/**
 * Shadowings the principal may see, latest visit first: a senior adviser sees every one (or one
 * partner's, shadowed or shadowing), anyone else those they were shadowed in or shadowed.
 */
export function visibleShadowings(em: Em, access: AccessPolicy, partnerId: string | null): Promise<Shadowing[]> {
  const where: FilterQuery<Shadowing>[] = [];
  if (partnerId) {
    const id = checkId(partnerId, 'partnerId');
    where.push({ $or: [{ shadowedPartner: id }, { shadower: id }] });
  }
  if (!access.isManager) {
    const me = access.principal.kind === 'person' ? access.principal.partnerId : '00000000-0000-0000-0000-000000000000';
    where.push({ $or: [{ shadowedPartner: me }, { shadower: me }] });
  }
  return em.find(Shadowing, { $and: where }, { populate: ['visit'], orderBy: { visit: { startsAt: 'desc' }, id: 'asc' } });
}

export interface ShadowingDueRow {
  partner: Partner;
  lastShadowedOn: string | null;
  nextDueBy: string;
  overdue: boolean;
  nextBookedOn: string | null;
  feedbackOutstanding: number;
  feedbackLate: number;
}

/**
 * Per active partner (role partner): the last visit they were shadowed on (held, not cancelled),
 * when the next is due (two years after it, or now when never), the next one booked, and written
 * feedback outstanding and late (late counts feedback given late too). `now` is the app's clock,
 * or noon on the asked-for day (the same London date in winter and summer time).
 */
export async function shadowingDue(em: Em, now: Date, calendar: WorkingCalendar): Promise<ShadowingDueRow[]> {
  const today = businessDateOf(now);
  const partners = await em.find(Partner, { active: true, role: PartnerRole.PARTNER }, { orderBy: { name: 'asc', id: 'asc' } });
  const shadowings = await em.find(Shadowing, { shadowedPartner: { $in: partners.map((p) => p.id) } }, { populate: ['visit'] });
  return partners.map((partner) => {
    const row: ShadowingDueRow = {
      partner,
      lastShadowedOn: null,
      nextDueBy: today,
      overdue: false,
      nextBookedOn: null,
      feedbackOutstanding: 0,
      feedbackLate: 0,
    };
    for (const s of shadowings.filter((x) => x.shadowedPartner.id === partner.id)) {
      const visit = s.visit.getEntity();
      const state = shadowingState(s, visit, now, calendar);
      if (state === ShadowingState.CANCELLED || visit.status === VisitStatus.CANCELLED) continue;
      const day = businessDateOf(visit.startsAt);
      if (state === ShadowingState.BOOKED) {
        if (!row.nextBookedOn || day < row.nextBookedOn) row.nextBookedOn = day;
        continue;
      }
      if (!row.lastShadowedOn || day > row.lastShadowedOn) row.lastShadowedOn = day;
      if (state === ShadowingState.FEEDBACK_DUE || state === ShadowingState.FEEDBACK_LATE) row.feedbackOutstanding += 1;
      if (state === ShadowingState.FEEDBACK_LATE || state === ShadowingState.GIVEN_LATE) row.feedbackLate += 1;
    }
    row.nextDueBy = nextShadowingDueBy(row.lastShadowedOn, today);
    // Never shadowed is due now; shadowed long ago is overdue once the two years are up.
    row.overdue = row.lastShadowedOn ? row.nextDueBy < today : true;
    return row;
  });
}
