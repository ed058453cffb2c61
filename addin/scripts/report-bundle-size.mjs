// Reports the JavaScript each page loads before it can render (its entry and the
// chunks it imports statically; lazy chunks such as MSAL are listed apart), gzipped,
// and fails the build when the Outlook task pane is over its budget.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = join(import.meta.dirname, '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const BUDGET_KB = { 'outlook.html': 250 };

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

function chunksOf(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const imported of manifest[key].imports ?? []) chunksOf(imported, seen);
  return seen;
}

const report = {};
let failed = false;
for (const [key, entry] of Object.entries(manifest)) {
  if (!entry.isEntry) continue;
  const initial = [...chunksOf(key)].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'));
  // Lazy: what the entry or any chunk it loads imports dynamically (e.g. MSAL, teams-js).
  const dynamic = [...chunksOf(key)].flatMap((k) => manifest[k].dynamicImports ?? []);
  const lazy = [...new Set(dynamic.flatMap((k) => [...chunksOf(k)]).map((k) => manifest[k].file))].filter((f) => !initial.includes(f));
  const initialKb = initial.reduce((sum, f) => sum + gz(f), 0) / 1024;
  const lazyKb = lazy.reduce((sum, f) => sum + gz(f), 0) / 1024;
  report[key] = { initialGzipKb: Number(initialKb.toFixed(1)), lazyGzipKb: Number(lazyKb.toFixed(1)), budgetKb: BUDGET_KB[key] ?? null };
  const over = BUDGET_KB[key] && initialKb > BUDGET_KB[key];
  failed ||= Boolean(over);
  console.log(
    `${key.padEnd(18)} ${initialKb.toFixed(1).padStart(7)} KB gzipped to first render, ${lazyKb.toFixed(1).padStart(7)} KB loaded later${BUDGET_KB[key] ? ` (budget ${BUDGET_KB[key]} KB${over ? ': OVER' : ''})` : ''}`,
  );
}
writeFileSync(join(dist, 'bundle-size.json'), JSON.stringify(report, null, 2));
if (failed) {
  console.error('A page is over its JavaScript budget.');
  process.exit(1);
}
