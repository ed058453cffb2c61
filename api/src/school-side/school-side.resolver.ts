import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Em } from '../platform/db/orm.js';
import { badInput } from '../platform/errors.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import type { SchoolSideContext } from './school-side.js';
import { findOr404 } from '../platform/graphql/lookup.js';
import { EmailStatus, OutboundEmail } from '../mail/outbound-email.entity.js';
import { Visit } from '../visits/visit.entity.js';
import { AccessLink, AccessLinkPurpose } from './access-link.entity.js';
import { revokeLink, sendSchoolSectionLink } from './links.service.js';
import { SchoolSection } from '../notes/school-section.entity.js';
import { assertCanEditVisit, assertCanSeeVisit } from '../visits/visit.access.js';
import { sectionsOfVisit } from '../notes/school-section.js';
import { linksOfVisit } from './links.service.js';
import { emailsOfVisit } from '../mail/outbox.js';

@Resolver(() => Visit)
export class SchoolSideResolver {
  @Mutation(() => AccessLink, {
    description:
      'Emails the school a link to its section of the visit record (to the headteacher unless recipientEmail is given); earlier such links stop working.',
  })
  sendSchoolSectionLink(
    @Arg('visitId', () => ID) visitId: string,
    @Arg('recipientEmail', () => String, { nullable: true }) recipientEmail: string | null,
    @Ctx() { em, access, schoolSide, clock }: SchoolSideContext,
  ) {
    if (recipientEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(recipientEmail))
      throw badInput('The recipient\'s email is not an email address: write it like "name@school.example".', 'recipientEmail');
    return sendSchoolSectionLink(em, access, schoolSide, visitId, recipientEmail, clock.now());
  }

  @Mutation(() => AccessLink, { description: 'Stops a link sent to the school from working.' })
  revokeAccessLink(@Arg('id', () => ID) id: string, @Ctx() { em, access, clock }: GraphQLContext) {
    return revokeLink(em, access, id, clock.now());
  }

  @Mutation(() => OutboundEmail, { description: 'Tries again, now, to send an email that has not gone.' })
  async retryEmail(@Arg('id', () => ID) id: string, @Ctx() { em, access, schoolSide, clock }: SchoolSideContext) {
    const email = await em.fork().transactional(async (tx) => {
      const found = await findOr404(tx as Em, OutboundEmail, 'OutboundEmail', id);
      if (!found.visit) access.assertManager('retry this email');
      else assertCanEditVisit(access, await found.visit.loadOrFail());
      if (found.status === EmailStatus.SENT) throw badInput('This email has already been sent.', 'id');
      // Queued again while a sender holds it, it could go twice at once; once its claim lapses, it may be retried.
      if (found.status === EmailStatus.SENDING && found.nextAttemptAt && found.nextAttemptAt > clock.now()) {
        throw badInput('This email is being sent now; if that fails, it is tried again by itself.', 'id');
      }
      Object.assign(found, { status: EmailStatus.QUEUED, nextAttemptAt: null }); // due at once
      return found;
    });
    await schoolSide.outbox.runOnce();
    return em.fork().findOneOrFail(OutboundEmail, { id: email.id });
  }

  @FieldResolver(() => SchoolSection, { nullable: true, description: "The school's section of the visit record, once the school has sent it." })
  async schoolSection(@Root() visit: Visit, @Ctx() { access, loaders }: GraphQLContext) {
    await assertCanSeeVisit(access, visit);
    return (await loaders.get(sectionsOfVisit).load(visit.id))[0] ?? null;
  }

  @FieldResolver(() => [AccessLink], { description: 'Links sent to the school for this visit, newest first.' })
  async accessLinks(@Root() visit: Visit, @Ctx() { access, loaders }: GraphQLContext) {
    await assertCanSeeVisit(access, visit);
    const links = await loaders.get(linksOfVisit).load(visit.id);
    // A request for feedback on the partner hangs on their visit, but is the managers' business.
    return access.isManager ? links : links.filter((l) => l.purpose !== AccessLinkPurpose.PARTNER_FEEDBACK);
  }

  @FieldResolver(() => [OutboundEmail], { description: 'Emails about this visit and whether they have gone (failures show here).' })
  async emails(@Root() visit: Visit, @Ctx() { access, loaders }: GraphQLContext) {
    await assertCanSeeVisit(access, visit);
    return loaders.get(emailsOfVisit).load(visit.id);
  }
}
