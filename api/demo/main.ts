import { parseArgs } from 'node:util';
import { runServer } from '../src/app/run-server.js';
import { loadDemoDataIfEmpty } from './load-demo-data.js';

// What `npm start` runs (`node api/dist/demo/main.js --development`): the API with the demo county
// loaded into an empty database. Development is asked for on the command line, never assumed:
// without it (and without NODE_ENV) this is the production server, with no demo data.
const { values } = parseArgs({ options: { development: { type: 'boolean', default: false } } });
await runServer({ demoData: loadDemoDataIfEmpty, environment: values.development ? 'development' : undefined });
