import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManifestUtil } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTeamsPackage, teamsManifest } from '../scripts/teams-package.mjs';
import { TEAMS_APP_ID, TEAMS_NOTES_ENTITY } from '../src/shared/teams-app.js';

const require = createRequire(import.meta.url);
/** The Teams schema bundled with office-addin-manifest (through @microsoft/app-manifest): no network. */
function bundledSchema(version: string) {
  const file = path.join(
    path.dirname(require.resolve('@microsoft/app-manifest/package.json')),
    'build',
    'json-schemas',
    'teams',
    `v${version}`,
    'MicrosoftTeams.schema.json',
  );
  // The published schema has a "\a" in a regular expression that JavaScript rejects (microsoft-teams-app-schema#190).
  return JSON.parse(readFileSync(file, 'utf8').replace(/\\\\a/g, '\\\\x07'));
}

describe('Teams app package', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sv-teams-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('validates offline against the schema its manifestVersion names', async () => {
    const manifest = teamsManifest({ host: 'visits.council.example', clientId: '5f1c2f0e-1d2b-4c3a-9e8f-7a6b5c4d3e2f' });
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.24);
    const errors = await ManifestUtil.validateManifestAgainstSchema(manifest as never, bundledSchema(manifest.manifestVersion));
    expect(errors).toEqual([]);
    // The validator does refuse a broken manifest.
    const broken = { ...manifest, accentColor: undefined, staticTabs: [{ ...manifest.staticTabs[0], contentUrl: 'ftp://x' }] };
    expect((await ManifestUtil.validateManifestAgainstSchema(broken as never, bundledSchema(manifest.manifestVersion))).length).toBeGreaterThan(0);

    expect(manifest.id).toBe(TEAMS_APP_ID);
    expect(manifest.staticTabs.map((t: { entityId: string }) => t.entityId)).toEqual(['visits', TEAMS_NOTES_ENTITY, 'team', 'quality', 'shadowing']);
    expect(manifest.staticTabs.map((t: { name: string }) => t.name)).toEqual(['My visits', 'Notes', 'Team', 'Quality', 'Shadowing']);
    for (const tab of manifest.staticTabs) expect(tab.contentUrl).toMatch(/^https:\/\/visits\.council\.example\/addin\/teams\/tab\.html#\//);
    expect(manifest.validDomains).toEqual(['visits.council.example']);
    expect(manifest.webApplicationInfo).toEqual({
      id: '5f1c2f0e-1d2b-4c3a-9e8f-7a6b5c4d3e2f',
      resource: 'api://visits.council.example/5f1c2f0e-1d2b-4c3a-9e8f-7a6b5c4d3e2f',
    });
  });

  it('refuses a host that is not a host name', () => {
    expect(() => teamsManifest({ host: 'https://x.example/' })).toThrow(/not a host name/);
  });

  it('zips the manifest and two real icons: 192 px colour, 32 px white-on-transparent outline', async () => {
    const { outFile } = await buildTeamsPackage({ host: 'visits.council.example', outFile: path.join(dir, 'teams-app.zip') });
    const zip = await JSZip.loadAsync(readFileSync(outFile));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(await ManifestUtil.validateManifestAgainstSchema(manifest, bundledSchema(manifest.manifestVersion))).toEqual([]);
    expect(JSON.stringify(manifest)).not.toMatch(/\{\{/);

    const color = PNG.sync.read(await zip.file(manifest.icons.color)!.async('nodebuffer'));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = PNG.sync.read(await zip.file(manifest.icons.outline)!.async('nodebuffer'));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let drawn = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      if (a === 0) continue;
      drawn++;
      expect([r, g, b, a]).toEqual([255, 255, 255, 255]);
    }
    expect(drawn).toBeGreaterThan(20);
    expect(drawn).toBeLessThan(32 * 32);
  });
});
