import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The suite-wide log check: no token the suite issued (a school's link, a bearer token) appears
 * in any log line any test server wrote. Test servers log at info, request lines included, to
 * files under <root>/logs (test-app.ts); what was issued is under <root>/issued
 * (issued-secrets.ts) and in the file outbox's .eml files under <root>/outbox.
 */
export const LOGS_DIR = 'logs';

/** A school link's token as it appears in a URL: /school/<page>/<token>. */
const LINK_TOKEN = /\/school\/[a-z-]+\/([A-Za-z0-9._~-]+)/g;
/** Characters a token is made of: a log line is cut at anything else (and at dots: see secretPart). */
const PIECES = /[^A-Za-z0-9_~-]+/;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/**
 * The part of a token that is its secret: the last dot-separated piece (a link's signature or
 * a JWT's signature; the link id before it and a JWT's header are not secret and recur), or
 * the whole token when it has no dot. Looking for this piece finds the token however it was cut.
 */
export function secretPart(token: string): string {
  const last = token.split('.').at(-1) ?? token;
  return last.length >= 16 ? last : token;
}

/** Undoes quoted-printable's soft line breaks and escapes, as nodemailer writes a long link into an .eml file. */
const unQuotedPrintable = (text: string) => text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** Every secret the suite issued, as secretPart gives it. */
export async function issuedSecrets(root: string): Promise<Set<string>> {
  const secrets = new Set<string>();
  const addLinks = (text: string) => {
    for (const match of text.matchAll(LINK_TOKEN)) secrets.add(secretPart(match[1]!));
  };
  for (const file of await filesUnder(path.join(root, 'issued'))) {
    for (const line of (await readFile(file, 'utf8')).split('\n').filter(Boolean)) {
      const { kind, text } = JSON.parse(line) as { kind: string; text: string };
      if (kind === 'bearer') secrets.add(secretPart(text));
      else addLinks(text);
    }
  }
  for (const file of await filesUnder(path.join(root, 'outbox'))) if (file.endsWith('.eml')) addLinks(unQuotedPrintable(await readFile(file, 'utf8')));
  return secrets;
}

export interface LogFinding {
  file: string;
  /** How many of the issued secrets the file holds. */
  secrets: number;
  /** The first few characters of one, to find it by: never a whole secret in a test's output. */
  example: string;
}

/** The log files that hold any of the secrets, and how many log files and secrets were looked at. */
export async function findSecretsInLogs(root: string): Promise<{ findings: LogFinding[]; logFiles: number; secrets: number }> {
  const secrets = await issuedSecrets(root);
  const logFiles = await filesUnder(path.join(root, LOGS_DIR));
  const findings: LogFinding[] = [];
  for (const file of logFiles) {
    const found = new Set<string>();
    for (const piece of (await readFile(file, 'utf8')).split(PIECES)) if (secrets.has(piece)) found.add(piece);
    if (found.size) findings.push({ file, secrets: found.size, example: `${[...found][0]!.slice(0, 6)}…` });
  }
  return { findings, logFiles: logFiles.length, secrets: secrets.size };
}

/** Throws, naming each log file, when any log holds an issued secret; or when servers logged but nothing was recorded as issued (the check would be blind). */
export async function assertNoSecretInLogs(root: string): Promise<{ logFiles: number; secrets: number }> {
  const { findings, logFiles, secrets } = await findSecretsInLogs(root);
  if (findings.length) {
    throw new Error(
      `Issued tokens found in the test servers' logs:\n${findings.map((f) => `  ${f.file}: ${f.secrets} token(s), e.g. ${f.example}`).join('\n')}`,
    );
  }
  if (logFiles > 0 && secrets === 0)
    throw new Error(`The log check found ${logFiles} log file(s) but no issued token to look for: is issued-secrets.ts wired in?`);
  return { logFiles, secrets };
}
