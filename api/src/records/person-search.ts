import { createHash } from 'node:crypto';
import { badInput } from '../platform/errors.js';
import type { Em } from '../platform/db/orm.js';

/**
 * Finding a person wherever the database holds them. People are held as typed text (a
 * headteacher's name and address in the school, the distribution list, the links and the
 * emails sent to them, what the school typed, the audit trail's copies of all of it) and,
 * for partners, by reference (the visits they lead, the notes they wrote, the audit rows
 * they made). So the search reads every text and JSON column of every table, as the
 * database describes itself (information_schema): a table added later is searched without
 * anyone remembering to list it here.
 */
export interface PersonTerms {
  /** Compared case-insensitively, anywhere in a column (an address inside an email's body too). */
  email: string | null;
  /** Compared case-insensitively as whole words ("Ann" does not find "Annual"). */
  name: string | null;
}

/** A search of every table is deliberate long work: its statements may take this long (a request's take DB_STATEMENT_TIMEOUT_MS). */
export const LONG_WORK_MS = 300_000;

/** Tables that hold no one: the migrations' record, and the disposal log (which names nothing by design). */
const NOT_SEARCHED = new Set(['mikro_orm_migrations', 'disposal_log']);

export function personTerms(input: { email?: string | null; name?: string | null }): PersonTerms {
  const email = input.email?.trim().toLowerCase() || null;
  const name = input.name?.trim().replace(/\s+/g, ' ') || null;
  if (!email && !name) throw badInput('Give the email address or the full name of the person (or both).', 'email');
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) throw badInput('The email address does not look like one (name@example.org).', 'email');
  // A short name would find every word that holds it: a first name alone finds many people.
  if (name && name.length < 5) throw badInput('Give the full name (at least five characters), or search by email address.', 'name');
  if ((email?.length ?? 0) > 320 || (name?.length ?? 0) > 200) throw badInput('The email address or name is too long.', 'name');
  return { email, name };
}

/** A digest of the terms for the audit trail: it shows the same person was searched again without naming them. */
export const termsDigest = (terms: PersonTerms): string =>
  createHash('sha256')
    .update(`${terms.email ?? ''}\n${terms.name?.toLowerCase() ?? ''}`)
    .digest('hex');

/** POSIX regular expression for the name as whole words (PostgreSQL's \m and \M mark a word's start and end). */
export function namePattern(name: string): string {
  return `\\m${name.replace(/[.^$*+?()[\]{}|\\-]/g, '\\$&').replace(/ /g, '\\s+')}\\M`;
}

export interface TextColumns {
  table: string;
  columns: { name: string; json: boolean; type: string }[];
  hasVersion: boolean;
}

/** Every table with its text and JSON columns. */
export async function textColumns(em: Em): Promise<TextColumns[]> {
  const rows = await em.execute<{ table_name: string; column_name: string; data_type: string }[]>(
    `select table_name, column_name, data_type from information_schema.columns
      where table_schema = current_schema() order by table_name, ordinal_position`,
  );
  const tables = new Map<string, TextColumns>();
  for (const r of rows) {
    if (NOT_SEARCHED.has(r.table_name)) continue;
    const t = tables.get(r.table_name) ?? { table: r.table_name, columns: [], hasVersion: false };
    tables.set(r.table_name, t);
    if (r.column_name === 'version') t.hasVersion = true;
    if (['text', 'character varying', 'json', 'jsonb'].includes(r.data_type))
      t.columns.push({ name: r.column_name, json: r.data_type.startsWith('json'), type: r.data_type });
  }
  return [...tables.values()].filter((t) => t.columns.length);
}

/** SQL true when one of the columns names the person; with its parameters. */
export function mentionsSql(columns: TextColumns['columns'], terms: PersonTerms, alias = 't'): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  for (const c of columns) {
    const col = `${alias}."${c.name}"${c.json ? '::text' : ''}`;
    if (terms.email) {
      parts.push(`position(? in lower(${col})) > 0`);
      params.push(terms.email);
    }
    if (terms.name) {
      parts.push(`${col} ~* ?`);
      params.push(namePattern(terms.name));
    }
  }
  return { sql: parts.length ? `(${parts.join(' or ')})` : 'false', params };
}

/**
 * Partners the terms name (by their sign-in address, or by their name when no address is
 * given): what refers to them by id belongs to the export too.
 */
export async function partnersNamed(em: Em, terms: PersonTerms): Promise<string[]> {
  const rows = terms.email
    ? await em.execute<{ id: string }[]>('select id from partner where lower(email) = ?', [terms.email])
    : await em.execute<{ id: string }[]>('select id from partner where name ~* ?', [`^${namePattern(terms.name!)}$`]);
  return rows.map((r) => r.id);
}

/** Columns (table, column) that refer to a partner by id: foreign keys to partner, as the database declares them. */
export async function partnerReferences(em: Em): Promise<{ table: string; column: string }[]> {
  return em.execute<{ table: string; column: string }[]>(
    `select c.conrelid::regclass::text as "table", a.attname as "column"
       from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
      where c.contype = 'f' and c.confrelid = 'partner'::regclass
      order by 1, 2`,
  );
}
