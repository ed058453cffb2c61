import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The import boundaries (.dependency-cruiser.cjs, ARCHITECTURE.md) hold on the real tree, and
 * the same rules refuse each kind of wrong import in a scratch tree built for the purpose.
 */
const REPO = path.resolve('.');
const DEPCRUISE = path.join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const CONFIG = path.join(REPO, '.dependency-cruiser.cjs');

async function cruise(cwd: string, ...targets: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [DEPCRUISE, ...targets, '--config', CONFIG, '--output-type', 'err'], { cwd });
    return { ok: true, output: stdout };
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    return { ok: false, output: `${stdout}${stderr}` };
  }
}

describe('the import boundaries', () => {
  it('hold on the product, the demo data and the soak (npm run lint:imports)', async () => {
    const { ok, output } = await cruise(REPO, 'api/src', 'api/demo', 'api/soak');
    expect(output).toContain('no dependency violations found');
    expect(ok).toBe(true);
  });
});

describe('a wrong import, in a scratch tree', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'boundaries-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let tree = 0;

  /** A fresh scratch tree: a few files in the layers, as the real tree has them, plus `files`. */
  function treeWith(files: Record<string, string>): string {
    const dir = path.join(scratch, String(++tree));
    mkdirSync(dir);
    cpSync(path.join(REPO, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
    cpSync(path.join(REPO, 'package.json'), path.join(dir, 'package.json'));
    symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
    const base: Record<string, string> = {
      'api/src/platform/errors.ts': `export const fail = () => 1;\n`,
      'api/src/schools/school.entity.ts': `import { fail } from '../platform/errors.js';\nexport class School { f = fail; }\n`,
      'api/src/visits/visit.entity.ts': `import { School } from '../schools/school.entity.js';\nimport { NoteOfVisit } from '../notes/note-of-visit.entity.js';\nexport class Visit { school = School; note = () => NoteOfVisit; }\n`,
      'api/src/visits/visit.resolver.ts': `import { Visit } from './visit.entity.js';\nimport { School } from '../schools/school.entity.js';\nexport const r = [Visit, School];\n`,
      'api/src/notes/note-of-visit.entity.ts': `import { Visit } from '../visits/visit.entity.js';\nexport class NoteOfVisit { visit = () => Visit; }\n`,
      'api/src/app/schema.ts': `import { r } from '../visits/visit.resolver.js';\nexport const all = r;\n`,
      'api/demo/demo.ts': `import { School } from '../src/schools/school.entity.js';\nexport const d = School;\n`,
    };
    for (const [file, text] of Object.entries({ ...base, ...files })) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    return dir;
  }

  it('passes the scratch tree as it is: downward imports, and entities naming each other in relations', async () => {
    const { ok, output } = await cruise(treeWith({}), 'api');
    expect(output).toContain('no dependency violations found');
    expect(ok).toBe(true);
  });

  it.each([
    [
      'platform-imports-domain',
      'the platform importing a domain module',
      { 'api/src/platform/lookup.ts': `import { School } from '../schools/school.entity.js';\nexport const x = School;\n` },
    ],
    [
      'schools-imports-upward',
      'a module importing one ranked above it',
      { 'api/src/schools/school.resolver.ts': `import { r } from '../visits/visit.resolver.js';\nexport const x = r;\n` },
    ],
    [
      'schools-entity-imports-upward',
      "an entity importing a higher module's non-entity",
      { 'api/src/schools/school.entity.ts': `import { r } from '../visits/visit.resolver.js';\nexport class School { r = r; }\n` },
    ],
    [
      'domain-imports-application',
      'a module importing the application',
      { 'api/src/visits/visit.service.ts': `import { all } from '../app/schema.js';\nexport const x = all;\n` },
    ],
    [
      'product-imports-outside',
      'the product importing demo data',
      { 'api/src/visits/visit.service.ts': `import { d } from '../../demo/demo.js';\nexport const x = d;\n` },
    ],
    [
      'product-imports-dev-dependency',
      'the product importing a development dependency',
      { 'api/src/visits/visit.service.ts': `import { describe } from 'vitest';\nexport const x = describe;\n` },
    ],
    [
      'no-circular',
      'two modules importing each other at run time',
      {
        'api/src/visits/a.ts': `import { b } from './b.js';\nexport const a = () => b;\n`,
        'api/src/visits/b.ts': `import { a } from './a.js';\nexport const b = () => a;\n`,
      },
    ],
  ])('refuses %s: %s', async (rule, _what, files) => {
    const { ok, output } = await cruise(treeWith(files), 'api');
    expect(output).toContain(`error ${rule}:`);
    expect(ok).toBe(false);
  });
});
