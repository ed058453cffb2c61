import { Partner } from '../partners/partner.entity.js';
import type { Em } from '../platform/db/orm.js';
import type { Mailbox } from './calendar-change.js';

/** The mailboxes sync reads: every partner who books visits (active partners and managers with an email). */
export async function mailboxesToSync(em: Em): Promise<Mailbox[]> {
  const partners = await em.find(Partner, { active: true, email: { $ne: '' } }, { fields: ['id', 'email'], orderBy: { email: 'asc' } });
  return partners.map((p) => ({ partnerId: p.id, email: p.email }));
}

/** One partner's mailbox, or null when they no longer book visits. */
export async function mailboxOf(em: Em, partnerId: string): Promise<Mailbox | null> {
  const partner = await em.findOne(Partner, { id: partnerId, active: true }, { fields: ['id', 'email'] });
  return partner?.email ? { partnerId: partner.id, email: partner.email } : null;
}
