import { ref } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import { currentActor, runAs } from '../platform/audit/audit-context.js';
import { longLondonDate } from '../platform/dates/today.js';
import type { Em } from '../platform/db/orm.js';
import { badInput, conflict } from '../platform/errors.js';
import { findOr404 } from '../platform/graphql/lookup.js';
import { NoteOfVisit } from '../notes/note-of-visit.entity.js';
import { RecipientRole } from '../notes/note.enums.js';
import type { Partner } from '../partners/partner.entity.js';
import type { School } from '../schools/school.entity.js';
import { Visit } from '../visits/visit.entity.js';
import { VisitStatus, VISIT_TYPE_LABELS } from '../visits/visit.enums.js';
import { AccessLink, AccessLinkPurpose } from './access-link.entity.js';
import type { SchoolSideDeps } from './school-side.js';
import { assertCanEditVisit } from '../visits/visit.access.js';
import { rowsByParent } from '../platform/graphql/request-loaders.js';
import { linkStageEnded } from './links.rules.js';

const ROUTES: Record<AccessLinkPurpose, string> = {
  [AccessLinkPurpose.SCHOOL_SECTION]: 'section',
  [AccessLinkPurpose.HEADTEACHER_RESPONSE]: 'response',
  [AccessLinkPurpose.PARTNER_FEEDBACK]: 'feedback',
};

export const routeOf = (purpose: AccessLinkPurpose) => ROUTES[purpose];

/** Marks every link of a visit and purpose that is not yet revoked as revoked (used ones too: a newer link, or a later stage, replaces them). */
async function revokeLinksOf(tx: Em, visitId: string, purpose: AccessLinkPurpose, now: Date): Promise<void> {
  for (const earlier of await tx.find(AccessLink, { visit: visitId, purpose, revokedAt: null })) earlier.revokedAt = now;
}

/**
 * Creates a link (revoking every earlier one for the same visit and purpose, used or not) and
 * returns its URL. The URL holds the link's only copy of its secret: it goes into the email
 * (encrypted until sent, then dropped) and is never kept.
 */
export async function issueLink(
  tx: Em,
  deps: SchoolSideDeps,
  args: { visit: Visit; note?: NoteOfVisit | null; purpose: AccessLinkPurpose; recipientEmail: string; recipientName?: string | null },
  now: Date,
): Promise<{ link: AccessLink; url: string }> {
  await revokeLinksOf(tx, args.visit.id, args.purpose, now);
  const link = Object.assign(new AccessLink(), {
    visit: ref(args.visit),
    note: args.note ? ref(args.note) : null,
    purpose: args.purpose,
    recipientEmail: args.recipientEmail.toLowerCase(),
    recipientName: args.recipientName ?? null,
    expiresAt: new Date(now.getTime() + deps.linkValidDays * 86_400_000),
    createdBy: currentActor().actor,
  });
  const { token, secretHash, keyVersion } = deps.signer.issue(link.id);
  Object.assign(link, { secretHash, keyVersion });
  tx.persist(link);
  return { link, url: `${deps.publicUrl}/school/${ROUTES[args.purpose]}/${token}` };
}

function signature(partner: Partner): string {
  return `${partner.name}\nSchool improvement partner\n${partner.email}`;
}

/** Sends the school the link to its section of the visit record (seed 001). */
export async function sendSchoolSectionLink(
  em: Em,
  access: AccessPolicy,
  deps: SchoolSideDeps,
  visitId: string,
  recipientEmail: string | null,
  now = deps.clock.now(),
): Promise<AccessLink> {
  const link = await em.fork().transactional(async (tx) => {
    const visit = await findOr404(tx as Em, Visit, 'Visit', visitId, 'visitId');
    assertCanEditVisit(access, visit);
    if (visit.status !== VisitStatus.BOOKED) throw conflict(`This visit is ${visit.status}; the school's section is completed before a booked visit.`);
    const school = await visit.school.loadOrFail();
    const partner = await visit.leadPartner.loadOrFail();
    const to = recipientEmail?.trim() || school.headteacher?.email;
    if (!to) throw badInput('The school has no headteacher email on record: give recipientEmail.', 'recipientEmail');
    const issued = await issueLink(
      tx as Em,
      deps,
      { visit, purpose: AccessLinkPurpose.SCHOOL_SECTION, recipientEmail: to, recipientName: school.headteacher?.name },
      now,
    );
    deps.outbox.queue(tx as Em, {
      to,
      visit,
      subject: `Before our visit on ${longLondonDate(visit.startsAt)}: ${school.name}'s section of the visit record`,
      body: [
        'Dear colleague,',
        '',
        `Ahead of the ${VISIT_TYPE_LABELS[visit.type].toLowerCase()} to ${school.name} on ${longLondonDate(visit.startsAt)}, please complete the school's section of the visit record: your own evaluation against the inspection headings, the evidence you will show on the day, and what you would like from the visit.`,
        '',
        issued.url,
        '',
        `The link is for ${school.name} only and works until ${longLondonDate(issued.link.expiresAt)}. No account is needed. You can open it again to change your answers.`,
        '',
        signature(partner),
      ].join('\n'),
    });
    return issued.link;
  });
  deps.outbox.kick();
  return link;
}

/** Within shareNote's transaction: the headteacher gets a link to read the draft and respond. */
export async function sendHeadteacherResponseLink(
  tx: Em,
  deps: SchoolSideDeps,
  note: NoteOfVisit,
  now: Date,
  recipientEmail?: string | null,
): Promise<AccessLink | null> {
  const visit = await note.visit.loadOrFail();
  // Shared: the school's section has served its stage (its grades are in the draft now).
  await revokeLinksOf(tx, visit.id, AccessLinkPurpose.SCHOOL_SECTION, now);
  const school: School = await visit.school.loadOrFail();
  const partner = await note.author.loadOrFail();
  const head = (await note.distribution.load()).getItems().find((r) => r.role === RecipientRole.HEADTEACHER);
  const to = recipientEmail?.trim() || head?.email || school.headteacher?.email;
  if (!to) return null;
  const issued = await issueLink(
    tx,
    deps,
    { visit, note, purpose: AccessLinkPurpose.HEADTEACHER_RESPONSE, recipientEmail: to, recipientName: head?.name ?? school.headteacher?.name },
    now,
  );
  deps.outbox.queue(tx, {
    to,
    visit,
    subject: `Draft note of visit for ${school.name}: please read and respond`,
    body: [
      'Dear headteacher,',
      '',
      `The draft note of the visit to ${school.name} on ${longLondonDate(visit.startsAt)} is ready. Please read it and tell us whether you agree; if you do not, you can say why against each judgement.`,
      '',
      issued.url,
      '',
      `The link works until ${longLondonDate(issued.link.expiresAt)}, once. No account is needed.`,
      '',
      signature(partner),
    ].join('\n'),
  });
  return issued.link;
}

export function revokeLink(em: Em, access: AccessPolicy, id: string, now: Date): Promise<AccessLink> {
  return em.fork().transactional(async (tx) => {
    const link = await findOr404(tx as Em, AccessLink, 'AccessLink', id);
    // A link asking for feedback on a partner is the manager's, not the partner's to stop.
    if (link.purpose === AccessLinkPurpose.PARTNER_FEEDBACK) access.assertManager('withdraw a request for feedback on a partner');
    else assertCanEditVisit(access, await link.visit.loadOrFail());
    link.revokedAt ??= now;
    return link;
  });
}

export type LinkProblem = 'invalid' | 'wrong_purpose' | 'revoked' | 'expired' | 'used';

/** The note whose stage a link serves: the response link's own note; for the section link, the visit's note if one is started. */
async function noteServed(em: Em, link: AccessLink): Promise<NoteOfVisit | null> {
  if (link.note) return link.note.loadOrFail();
  return em.findOne(NoteOfVisit, { visit: link.visit.id });
}

/**
 * A link whose stage has ended is marked revoked where it is found, in a transaction of its
 * own (audited as the system), so the partner's list of links says so and it never comes
 * back (a corrected note returns to draft, but its section link stays closed).
 */
async function markStageEnded(em: Em, link: AccessLink, now: Date): Promise<void> {
  await runAs({ actor: 'system:links' }, () =>
    em.fork().transactional(async (tx) => {
      const found = await tx.findOne(AccessLink, { id: link.id, revokedAt: null });
      if (found) found.revokedAt = now;
    }),
  );
}

/**
 * Checks a token from a URL against its record: the secret first (a forged or changed link
 * learns nothing), then purpose, revocation, expiry (or a signing key past its grace period),
 * use, and last whether the visit and note are still at the stage the link serves
 * (links.rules.ts): authoritative, whatever path moved them on.
 */
export async function checkLink(
  em: Em,
  deps: Pick<SchoolSideDeps, 'signer' | 'clock'>,
  token: string,
  purpose: AccessLinkPurpose,
  now = deps.clock.now(),
): Promise<{ link: AccessLink; problem: null } | { link: AccessLink | null; problem: LinkProblem }> {
  const id = token.length <= 200 ? deps.signer.idOf(token) : null;
  const link = id ? await em.findOne(AccessLink, { id }) : null;
  const verified = link ? deps.signer.verify(token, link, now) : 'invalid';
  if (!link || verified === 'invalid') return { link: null, problem: 'invalid' };
  if (link.purpose !== purpose) return { link, problem: 'wrong_purpose' };
  if (link.revokedAt) return { link, problem: 'revoked' };
  if (verified === 'retired' || link.expiresAt <= now) return { link, problem: 'expired' };
  if ((link.purpose === AccessLinkPurpose.HEADTEACHER_RESPONSE || link.purpose === AccessLinkPurpose.PARTNER_FEEDBACK) && link.usedAt)
    return { link, problem: 'used' };
  if (linkStageEnded(link.purpose, await link.visit.loadOrFail(), await noteServed(em, link))) {
    await markStageEnded(em, link, now);
    return { link, problem: 'revoked' };
  }
  return { link, problem: null };
}

/** A page of visits' links, newest first, in one query. */
export const linksOfVisit = rowsByParent(AccessLink, 'visit');
