import { runServer } from './app/run-server.js';

// The API as deployed: no demo data (the demo's entry is api/demo/main.ts, what `npm start` runs).
await runServer();
