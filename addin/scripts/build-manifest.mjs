// Writes addin/dist/manifest.xml for the host in ADDIN_HOST (default: the
// development host), after checking it. The top-level manifest.xml is the source.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutlookManifest, DEVELOPMENT_HOST, manifestForHost } from './manifest-checks.mjs';

const root = join(import.meta.dirname, '..', '..');
const host = process.env.ADDIN_HOST ?? DEVELOPMENT_HOST;
const xml = manifestForHost(readFileSync(join(root, 'manifest.xml'), 'utf8'), host);
const problems = checkOutlookManifest(xml);
if (problems.length) {
  console.error(`manifest.xml has problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
writeFileSync(join(root, 'addin', 'dist', 'manifest.xml'), xml);
console.log(`Outlook manifest for ${host}: addin/dist/manifest.xml`);
