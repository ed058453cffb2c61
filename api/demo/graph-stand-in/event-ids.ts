/**
 * Event ids in the three forms the stand-in hands out, all naming one internal key:
 * the REST id (Graph's default), the immutable REST id (`Prefer: IdType="ImmutableId"`,
 * never changes) and the EWS id (what Office.js gives the add-in: standard base64 with
 * "/" and "+", where REST ids use "-" and "_"). Real ids are opaque base64 too; these
 * carry the key so any form can be resolved without a table.
 */
export type IdForm = 'rest' | 'immutable' | 'ews';

const PREFIX: Record<IdForm, string> = { rest: 'AAMkAG', immutable: 'AAkALgAA', ews: 'AAMkAG' };

export function idOf(key: string, form: IdForm): string {
  const bytes = Buffer.from(key, 'utf8');
  if (form === 'ews') return PREFIX.ews + bytes.toString('base64');
  return PREFIX[form] + bytes.toString('base64').replace(/\//g, '-').replace(/\+/g, '_');
}

/** The key an id of any form names, or undefined for an id the stand-in never issued. */
export function keyOf(id: string): string | undefined {
  for (const prefix of [PREFIX.immutable, PREFIX.rest]) {
    if (!id.startsWith(prefix)) continue;
    const body = id.slice(prefix.length).replace(/-/g, '/').replace(/_/g, '+');
    const key = Buffer.from(body, 'base64').toString('utf8');
    if (key.startsWith('ev:')) return key;
  }
  return undefined;
}

/** Which form an id is written in (an id with neither "/" nor "+" reads the same as REST and EWS). */
export function formOf(id: string): IdForm {
  if (id.startsWith(PREFIX.immutable)) return 'immutable';
  return /[/+]/.test(id) ? 'ews' : 'rest';
}
