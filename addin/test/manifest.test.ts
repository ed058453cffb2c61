import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import officeAddinManifest from 'office-addin-manifest';
import { describe, expect, it } from 'vitest';
import { LAUNCH_EVENT_FUNCTIONS } from '../src/outlook/launch-events.js';
// @ts-expect-error: plain JavaScript module shared with the build script, no type declarations
import { checkOutlookManifest, manifestForHost } from '../scripts/manifest-checks.mjs';

// A CommonJS package whose re-exports Node's ESM loader cannot see by name.
const { OfficeAddinManifest, validateManifest } = officeAddinManifest;
const MANIFEST = path.resolve(import.meta.dirname, '..', '..', 'manifest.xml');
const xml = readFileSync(MANIFEST, 'utf8');
const check = (text: string) => checkOutlookManifest(text) as string[];

function tempFile(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'manifest-')), 'manifest.xml');
  writeFileSync(file, text);
  return file;
}

describe('the Outlook manifest (offline checks)', () => {
  it('is well formed and reads as an Outlook add-in', async () => {
    const info = await OfficeAddinManifest.readManifestFile(MANIFEST);
    expect(info.id).toBe('6f1f3b52-8a51-4f3e-9d0c-2b7d1c3e9a10');
    expect(info.defaultLocale).toBe('en-GB');
    expect(info.permissions).toBe('ReadWriteItem');
    expect(info.hosts).toEqual(['Mailbox']);
  });

  it('passes every structural check', () => {
    expect(check(xml)).toEqual([]);
  });

  it('fails when a resid has no resource', () => {
    const broken = xml.replace(/<bt:String id="AttendeeTip"[^>]*\/>/, '');
    expect(broken).not.toBe(xml);
    expect(check(broken)).toContain('resid "AttendeeTip" (on <Description>) has no resource defined.');
  });

  it('fails on a resource id over 32 characters', () => {
    const long = 'ThisResourceIdIsFarTooLongForOffice';
    const broken = xml.replaceAll('"OrganiserTip"', `"${long}"`);
    expect(check(broken)).toEqual(expect.arrayContaining([expect.stringContaining(`"${long}" is 35 characters`)]));
  });

  it('fails on an http URL', () => {
    const broken = xml.replace(
      'https://localhost:4000/addin/outlook/taskpane.html"/>\n        </bt:Urls>',
      'http://localhost:4000/addin/outlook/taskpane.html"/>\n        </bt:Urls>',
    );
    expect(broken).not.toBe(xml);
    expect(check(broken)).toEqual(['http://localhost:4000/addin/outlook/taskpane.html must be an https:// URL (Office refuses anything else).']);
  });

  it('fails on elements out of order, a missing surface, a bad id and a wrong locale', () => {
    const outOfOrder = xml.replace(/(\s*<Version>1\.0\.0\.0<\/Version>)(\s*<ProviderName>[^<]*<\/ProviderName>)/, '$2$1');
    expect(check(outOfOrder)).toContain('<OfficeApp>: <Version> must come before <ProviderName>.');
    const noAttendee = xml.replace('AppointmentAttendeeCommandSurface', 'MessageReadCommandSurface');
    expect(check(noAttendee)).toContain('No <ExtensionPoint xsi:type="AppointmentAttendeeCommandSurface">: the pane would be missing there.');
    expect(check(xml.replace('<Id>6f1f3b52-8a51-4f3e-9d0c-2b7d1c3e9a10</Id>', '<Id>not-a-guid</Id>'))).toContain('<Id> must be a GUID, not "not-a-guid".');
    expect(check(xml.replace('<DefaultLocale>en-GB</DefaultLocale>', '<DefaultLocale>en-US</DefaultLocale>'))).toContain(
      '<DefaultLocale> must be en-GB, not "en-US".',
    );
    expect(check('<OfficeApp><Id>')).toEqual([expect.stringMatching(/^The XML is not well formed/)]);
  });

  it('is rewritten for the production host, and refuses a host that is not https', () => {
    const production = manifestForHost(xml, 'https://visits.council.example') as string;
    expect(production).not.toContain('localhost');
    expect(production).toContain('https://visits.council.example/addin/outlook/taskpane.html');
    expect(check(production)).toEqual([]);
    expect(() => manifestForHost(xml, 'http://visits.council.example')).toThrow('ADDIN_HOST must be https://');
  });
});

describe('event-based activation in the manifest', () => {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
  const all = (name: string) => Array.from(doc.getElementsByTagNameNS('*', name));
  const url = (id: string) =>
    all('Url')
      .find((u) => u.getAttribute('id') === id)
      ?.getAttribute('DefaultValue');

  it('has a LaunchEvent extension point for the appointment time and attendees, handled by the functions the handlers associate', () => {
    const points = all('ExtensionPoint').filter((e) => e.getAttributeNS(XSI, 'type') === 'LaunchEvent');
    expect(points).toHaveLength(1);
    const point = points[0]!;
    // The extension point is the form factor's, beside the pane's command surfaces.
    expect(point.parentNode?.localName).toBe('DesktopFormFactor');
    const events = Array.from(point.getElementsByTagNameNS('*', 'LaunchEvent')).map((e) => [e.getAttribute('Type'), e.getAttribute('FunctionName')]);
    expect(Object.fromEntries(events)).toEqual(LAUNCH_EVENT_FUNCTIONS);
    const source = point.getElementsByTagNameNS('*', 'SourceLocation')[0]!.getAttribute('resid')!;
    expect(url(source)).toBe('https://localhost:4000/addin/static/launch-events.html');
  });

  it('names a runtime: the HTML page, with the JavaScript file for classic Outlook on Windows', () => {
    const runtimes = all('Runtime');
    expect(runtimes).toHaveLength(1);
    const runtime = runtimes[0]!;
    expect(runtime.parentNode?.localName).toBe('Runtimes');
    // Runtimes come first in the host, before the form factor (schema order).
    const host = runtime.parentNode!.parentNode!;
    expect(
      Array.from(host.childNodes)
        .filter((n) => n.nodeType === 1)
        .map((n) => (n as XmlElement).localName),
    ).toEqual(['Runtimes', 'DesktopFormFactor']);
    const source = all('SourceLocation').find(
      (s) => s.parentNode?.localName === 'ExtensionPoint' && (s.parentNode as XmlElement).getAttributeNS(XSI, 'type') === 'LaunchEvent',
    );
    expect(runtime.getAttribute('resid')).toBe(source!.getAttribute('resid'));
    const override = runtime.getElementsByTagNameNS('*', 'Override')[0]!;
    expect(override.getAttribute('type')).toBe('javascript');
    expect(url(override.getAttribute('resid')!)).toBe('https://localhost:4000/addin/static/launch-events.js');
  });

  it('asks for Mailbox 1.10 where the launch events are declared, and fails the structural checks when a handler page loses its resource', () => {
    const overrides = all('VersionOverrides').find((v) => v.getAttributeNS(XSI, 'type') === 'VersionOverridesV1_1')!;
    const sets = overrides.getElementsByTagNameNS('*', 'Sets')[0]!;
    expect(sets.getAttribute('DefaultMinVersion')).toBe('1.10');
    const broken = xml.replace(/<bt:Url id="LaunchEventScriptUrl"[^>]*\/>/, '');
    expect(broken).not.toBe(xml);
    expect(check(broken)).toContain('resid "LaunchEventScriptUrl" (on <Override>) has no resource defined.');
  });
});

// Office's validator is an online service (validationgateway.omex.office.net); this
// machine's network reaches only package registries, so the check runs where it can.
const onlineValidatorReachable = await fetch('https://validationgateway.omex.office.net/', { method: 'HEAD', signal: AbortSignal.timeout(3000) }).then(
  () => true,
  () => false,
);

describe('the Outlook manifest (online validation)', () => {
  it.skipIf(!onlineValidatorReachable)('passes Office’s own validation service (skipped: the service is unreachable from here)', async () => {
    const result = await validateManifest(tempFile(manifestForHost(xml, 'https://visits.council.example')));
    expect(result.isValid, JSON.stringify(result)).toBe(true);
  });
});
