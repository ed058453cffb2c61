import { runServer } from '../src/app/run-server.js';
import { loadDemoDataIfEmpty } from './load-demo-data.js';

// What `npm start` runs: the API, with the demo county loaded into an empty database
// (unless DEMO_DATA=off; never in production, where config.ts turns it off).
await runServer({ demoData: loadDemoDataIfEmpty });
