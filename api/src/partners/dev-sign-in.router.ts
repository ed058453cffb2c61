import express, { type Router } from 'express';
import type { Em } from '../platform/db/orm.js';
import { Partner } from './partner.entity.js';
import type { DevIssuer } from '../platform/auth/dev-issuer.js';

/**
 * Development sign-in for the front ends in a plain browser: who can sign in, and a
 * token for one of them, signed by the development issuer (the same tokens as
 * `npm run dev-token`). Mounted only when that issuer is on, which configuration
 * refuses in production; app/http-server.ts lets only this machine reach /dev unless DEV_ALLOW_REMOTE=on.
 */
export function devSignInRouter(issuer: DevIssuer, newEm: () => Em): Router {
  const router = express.Router();
  router.get('/dev/people', async (_req, res) => {
    const people = await newEm().find(Partner, { active: true }, { orderBy: { name: 'asc' } });
    res.setHeader('cache-control', 'no-store');
    res.json(people.map((p) => ({ name: p.name, email: p.email, role: p.role })));
  });
  router.post('/dev/token', express.json({ limit: '2kb' }), async (req, res) => {
    const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
    const person = email ? await newEm().findOne(Partner, { email, active: true }) : null;
    res.setHeader('cache-control', 'no-store');
    if (!person) {
      res.status(404).json({ errors: [{ message: `No active partner or manager has the email "${email}".`, extensions: { code: 'NOT_FOUND' } }] });
      return;
    }
    const lifetimeSeconds = 3600;
    res.json({ token: await issuer.signForPerson(person.email, { lifetimeSeconds }), expiresIn: lifetimeSeconds, name: person.name, role: person.role });
  });
  return router;
}
