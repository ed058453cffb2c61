import { parseArgs } from 'node:util';
import { runServer } from '../src/app/run-server.js';
import { startDevelopmentGraph } from './graph-stand-in/development-sync.js';
import { loadDemoDataIfEmpty } from './load-demo-data.js';

// What `npm start` runs (`node api/dist/demo/main.js --development`): the API with the demo county
// loaded into an empty database. Development is asked for on the command line, never assumed:
// without it (and without NODE_ENV) this is the production server, with no demo data.
const { values } = parseArgs({ options: { development: { type: 'boolean', default: false } } });
const development = values.development && (!process.env.NODE_ENV || process.env.NODE_ENV === 'development');
// In development, and unless calendar sync is configured otherwise, partners' Outlook calendars are a stand-in
// Microsoft Graph on this machine, synced in push mode, so anyone can watch a move in Outlook reach its visit.
if (development && !process.env.CALENDAR_SYNC) await startDevelopmentGraph(process.env);
await runServer({ demoData: loadDemoDataIfEmpty, environment: values.development ? 'development' : undefined });
