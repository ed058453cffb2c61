// Builds the Teams app package: addin/teams/manifest.json with the host and the add-in's
// client id filled in, and its two icons, zipped (jszip) for upload to Teams.
//   TEAMS_APP_HOST=visits.council.example ADDIN_CLIENT_ID=<guid> npm run build:teams
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import JSZip from 'jszip';

const here = import.meta.dirname;
export const TEAMS_DIR = resolve(here, '..', 'teams');
export const DEFAULT_HOST = 'localhost:4000';
/** Stands in for the add-in's Entra registration until a council sets ADDIN_CLIENT_ID. */
export const PLACEHOLDER_CLIENT_ID = '00000000-0000-4000-8000-000000000000';
export const DEFAULT_OUT = resolve(here, '..', 'dist', 'teams-app.zip');

export function teamsManifest({ host = DEFAULT_HOST, clientId = PLACEHOLDER_CLIENT_ID } = {}) {
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(host)) throw new Error(`TEAMS_APP_HOST "${host}" is not a host name (e.g. visits.council.example).`);
  const text = readFileSync(join(TEAMS_DIR, 'manifest.json'), 'utf8').replaceAll('{{HOST}}', host).replaceAll('{{CLIENT_ID}}', clientId);
  return JSON.parse(text);
}

export async function buildTeamsPackage({ host, clientId, outFile = DEFAULT_OUT } = {}) {
  const manifest = teamsManifest({ host, clientId });
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  zip.file('color.png', readFileSync(join(TEAMS_DIR, 'color.png')));
  zip.file('outline.png', readFileSync(join(TEAMS_DIR, 'outline.png')));
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, bytes);
  return { outFile, manifest };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { outFile, manifest } = await buildTeamsPackage({
    host: process.env.TEAMS_APP_HOST || DEFAULT_HOST,
    clientId: process.env.ADDIN_CLIENT_ID || PLACEHOLDER_CLIENT_ID,
  });
  console.log(`Teams app package for ${manifest.validDomains[0]}: ${outFile}`);
}
