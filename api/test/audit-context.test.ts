import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentActor } from '../src/platform/audit/audit-context.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { School } from '../src/schools/school.entity.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The audit trail names whoever the request was authenticated as: the actor must
 * reach the ORM wherever a resolver touches the database (the audit subscriber
 * reads it on flush). Observed here on load, the read-side twin of a flush.
 */
let t: TestApp;
const seen: string[] = [];
beforeAll(async () => {
  t = await startTestApp();
  t.app.orm.em.getEventManager().registerSubscriber({
    getSubscribedEntities: () => [School],
    onLoad: () => {
      seen.push(currentActor().actor);
    },
  });
});
afterAll(() => t?.stop());

describe('the audit actor', () => {
  it('is the authenticated partner throughout a GraphQL request', async () => {
    const { partner, token } = await t.personWithRole(PartnerRole.PARTNER);
    seen.length = 0;
    // The lead partner keeps the list on the ORM's path (read views load no entities: nothing to observe).
    const res = await t.gql('{ visits(first: 5) { nodes { leadPartner { name } school { name } } } }', {}, { token });
    expect(res.errors).toBeUndefined();
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([`partner:${partner.id}`]));
  });

  it('is the service for a service token', async () => {
    seen.length = 0;
    await t.gql('{ schools(first: 3) { nodes { name } } }', {}, { token: await t.serviceToken('Finance') });
    expect(new Set(seen)).toEqual(new Set(['service:Finance']));
  });
});
