// Structural checks of the Outlook add-in manifest that work offline. Office's own
// validator is an online service; office-addin-manifest's readManifestFile only
// checks that the XML parses. These catch what breaks a sideload in practice:
// elements out of schema order, a resid with no resource, an http URL.
import { DOMParser } from '@xmldom/xmldom';

/** The MailApp children of <OfficeApp>, in the order the schema requires. */
const OFFICE_APP_ORDER = [
  'Id',
  'AlternateId',
  'Version',
  'ProviderName',
  'DefaultLocale',
  'DisplayName',
  'Description',
  'IconUrl',
  'HighResolutionIconUrl',
  'SupportUrl',
  'AppDomains',
  'Hosts',
  'Requirements',
  'FormSettings',
  'Permissions',
  'Rule',
  'DisableEntityHighlighting',
  'VersionOverrides',
];
const OFFICE_APP_REQUIRED = [
  'Id',
  'Version',
  'ProviderName',
  'DefaultLocale',
  'DisplayName',
  'Description',
  'IconUrl',
  'Hosts',
  'FormSettings',
  'Permissions',
  'Rule',
];
const CONTROL_ORDER = ['Label', 'Supertip', 'Icon', 'Action'];
const SURFACES = ['AppointmentOrganizerCommandSurface', 'AppointmentAttendeeCommandSurface'];
const RESOURCE_TAGS = ['Image', 'Url', 'String'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

const elements = (node) => Array.from(node.childNodes).filter((n) => n.nodeType === 1);
const all = (doc, localName) => Array.from(doc.getElementsByTagNameNS('*', localName));

function checkOrder(parent, order, label, problems) {
  let last = -1;
  for (const child of elements(parent)) {
    const at = order.indexOf(child.localName);
    if (at === -1) problems.push(`${label}: <${child.localName}> is not allowed here.`);
    else if (at < last) problems.push(`${label}: <${child.localName}> must come before <${order[last]}>.`);
    else last = at;
  }
}

/** Every problem found, in words; an empty list means the manifest passes. */
export function checkOutlookManifest(xml) {
  const problems = [];
  const parseErrors = [];
  let doc;
  try {
    doc = new DOMParser({ onError: (level, message) => level !== 'warning' && parseErrors.push(message) }).parseFromString(xml, 'text/xml');
  } catch (error) {
    parseErrors.push(error.message);
  }
  if (parseErrors.length || !doc?.documentElement) return [`The XML is not well formed: ${parseErrors.join('; ') || 'no root element'}`];
  const root = doc.documentElement;
  if (root.localName !== 'OfficeApp') return ['The root element must be <OfficeApp>.'];
  if (root.getAttributeNS(XSI, 'type') !== 'MailApp') problems.push('<OfficeApp> must be xsi:type="MailApp" (an Outlook add-in).');

  checkOrder(root, OFFICE_APP_ORDER, '<OfficeApp>', problems);
  const present = new Set(elements(root).map((e) => e.localName));
  for (const name of OFFICE_APP_REQUIRED) if (!present.has(name)) problems.push(`<OfficeApp> needs <${name}>.`);

  const text = (name) =>
    elements(root)
      .find((e) => e.localName === name)
      ?.textContent?.trim() ?? '';
  if (!GUID.test(text('Id'))) problems.push(`<Id> must be a GUID, not "${text('Id')}".`);
  if (text('DefaultLocale') !== 'en-GB') problems.push(`<DefaultLocale> must be en-GB, not "${text('DefaultLocale')}".`);
  if (text('Permissions') !== 'ReadWriteItem')
    problems.push(`<Permissions> must be ReadWriteItem (the pane writes the appointment), not "${text('Permissions')}".`);

  const surfaces = all(doc, 'ExtensionPoint').map((e) => e.getAttributeNS(XSI, 'type'));
  for (const surface of SURFACES) if (!surfaces.includes(surface)) problems.push(`No <ExtensionPoint xsi:type="${surface}">: the pane would be missing there.`);
  for (const control of all(doc, 'Control')) checkOrder(control, CONTROL_ORDER, `<Control id="${control.getAttribute('id')}">`, problems);

  const defined = new Map();
  for (const tag of RESOURCE_TAGS) {
    for (const resource of all(doc, tag).filter((e) => e.hasAttribute('id'))) {
      const id = resource.getAttribute('id');
      if (defined.has(id)) problems.push(`Resource id "${id}" is defined twice.`);
      defined.set(id, resource);
      if (id.length > 32) problems.push(`Resource id "${id}" is ${id.length} characters; at most 32 are allowed.`);
    }
  }
  const used = new Set();
  for (const node of all(doc, '*').filter((e) => e.hasAttribute('resid'))) {
    const resid = node.getAttribute('resid');
    used.add(resid);
    if (resid.length > 32) problems.push(`resid "${resid}" is ${resid.length} characters; at most 32 are allowed.`);
    if (!defined.has(resid)) problems.push(`resid "${resid}" (on <${node.localName}>) has no resource defined.`);
  }
  for (const id of defined.keys()) if (!used.has(id)) problems.push(`Resource "${id}" is defined but never used.`);

  const urls = [
    ...all(doc, '*').flatMap((e) =>
      e.hasAttribute('DefaultValue') && /^[a-z]+:\/\//i.test(e.getAttribute('DefaultValue')) ? [e.getAttribute('DefaultValue')] : [],
    ),
    ...all(doc, 'AppDomain').map((e) => e.textContent.trim()),
  ];
  for (const url of urls) if (!url.startsWith('https://')) problems.push(`${url} must be an https:// URL (Office refuses anything else).`);
  if (urls.length === 0) problems.push('The manifest names no URLs at all.');
  return problems;
}

/** The manifest for another host: every development URL rewritten to it. */
export function manifestForHost(xml, host) {
  if (!/^https:\/\/[^/\s]+$/.test(host)) throw new Error(`ADDIN_HOST must be https://host[:port] with no path, not "${host}".`);
  return xml.replaceAll(DEVELOPMENT_HOST, host);
}

export const DEVELOPMENT_HOST = 'https://localhost:4000';
