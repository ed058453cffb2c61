import 'reflect-metadata';
import { startApp } from '../../api/dist/src/app/app.js';
import { createTokenVerifier } from '../../api/dist/src/platform/auth/token-verifier.js';
import { loadConfig } from '../../api/dist/src/platform/config.js';
import { createLogger } from '../../api/dist/src/platform/logger.js';
import { startReference } from './reference.mjs';

/**
 * The process under test, apart from the load generator: the API as `npm start`
 * runs it (from api/dist, over DATABASE_URL), and the reference handler beside it
 * on its own port with a pool of the same size. Scenarios run one at a time, so
 * the idle one costs nothing. Started by main.mjs with fork(); reports its URLs.
 */
const config = loadConfig(process.env);
const logger = createLogger(config);
const app = await startApp(config, logger, { port: 0 });
// The reference checks tokens as the API does (its own verifier: the same keys, the same cost).
const verify = createTokenVerifier(config.auth);
const reference = await startReference({ databaseUrl: config.database.url, poolMax: config.database.poolMax, verify });

process.send({ apiUrl: app.server.url, referenceUrl: reference.url });
process.on('message', async (message) => {
  if (message !== 'stop') return;
  await reference.stop();
  await app.stop();
  process.exit(0);
});
