import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../src/platform/audit/audit-event.entity.js';
import { migrate, type Orm } from '../src/platform/db/orm.js';
import { createOrm } from '../src/app/database.js';
import { createLogger } from '../src/platform/logger.js';
import { importGias } from '../src/register/gias-import.js';
import { SchoolSuccession } from '../src/schools/school-succession.entity.js';
import { School } from '../src/schools/school.entity.js';
import { emptyDatabase, TEST_DATA_ROOT, type TestDatabase } from './support/test-database.js';
import { ESTABLISHMENT_COLUMNS, giasFixture, LINK_COLUMNS, writeGiasCsv } from './support/gias-fixtures.js';

/** The national register import on a few thousand realistic rows, in Windows-1252 like the real downloads. */
const dir = path.join(TEST_DATA_ROOT, `gias-${randomUUID()}`);
const establishments = path.join(dir, 'edubasealldata20261122.csv');
const linksFile = path.join(dir, 'links_edubasealldata20261122.csv');
const fixture = giasFixture(3000);
const inNorfolk = fixture.rows.filter((r) => r['LA (code)'] === '926');
let db: TestDatabase;
let orm: Orm;

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  await writeGiasCsv(establishments, ESTABLISHMENT_COLUMNS, fixture.rows);
  await writeGiasCsv(linksFile, LINK_COLUMNS, fixture.links);
  db = await emptyDatabase();
  orm = await createOrm({ database: db.database, logger: createLogger({ logLevel: 'silent', env: 'test' }) });
  await migrate(orm);
});
afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('the GIAS import', () => {
  it('creates the schools of the chosen authority and links predecessors to successors', async () => {
    const report = await importGias(orm, [linksFile, establishments], [926]);
    expect(report.rowsRead).toBe(fixture.rows.length + fixture.links.length);
    expect(report.rowsInScope).toBe(inNorfolk.length);
    expect(report.created).toBe(inNorfolk.length);
    expect(report.skipped).toEqual([]);
    const em = orm.em.fork();
    expect(await em.count(School, {})).toBe(inNorfolk.length);
    expect(await em.count(School, { laCode: { $ne: 926 } })).toBe(0);

    const norfolkUrns = new Set(inNorfolk.map((r) => r.URN));
    const expectedLinks = fixture.links.filter((l) => l.LinkType === 'Successor' && norfolkUrns.has(l.URN!) && norfolkUrns.has(l.LinkURN!));
    expect(expectedLinks.length).toBeGreaterThan(5);
    expect(report.linksCreated).toBe(expectedLinks.length);
    const [first] = expectedLinks;
    const link = await em.findOneOrFail(SchoolSuccession, { predecessor: { urn: Number(first!.URN) } }, { populate: ['predecessor', 'successor'] });
    expect(link.successor.getEntity().urn).toBe(Number(first!.LinkURN));
    expect(link).toMatchObject({ kind: 'academy_conversion', effectiveOn: '2023-09-01', sponsor: 'Inspiration Trust' });
    expect(link.predecessor.getEntity()).toMatchObject({ status: 'closed', closedOn: '2023-08-31' });
  });

  it('maps the columns, Windows-1252 text included', async () => {
    const em = orm.em.fork();
    const accented = inNorfolk.find((r) => /[’Æ–É]/.test(r.EstablishmentName!))!;
    const school = await em.findOneOrFail(School, { urn: Number(accented.URN) });
    expect(school.name).toBe(accented.EstablishmentName);
    expect(school.dfeNumber).toBe(`926/${accented.EstablishmentNumber}`);
    expect(school.address?.postcode).toBe(accented.Postcode);
    expect(school.headteacher?.name).toBe(`${accented.HeadFirstName} ${accented.HeadLastName}`);
    const special = await em.findOneOrFail(School, { urn: Number(inNorfolk.find((r) => r['TypeOfEstablishment (name)'] === 'Community special school')!.URN) });
    expect(special).toMatchObject({ phase: 'special', type: 'maintained' });
    const sixthForm = await em.findOneOrFail(School, { urn: Number(inNorfolk.find((r) => r['PhaseOfEducation (name)'] === '16 plus')!.URN) });
    expect(sixthForm).toMatchObject({ phase: 'sixteen_plus', type: 'free_school' });
  });

  it('changes nothing when run again on the same files', async () => {
    const auditBefore = await orm.em.fork().count(AuditEvent, {});
    const report = await importGias(orm, [establishments, linksFile], [926]);
    expect(report).toMatchObject({ created: 0, updated: 0, closed: 0, linksCreated: 0, unchanged: inNorfolk.length });
    expect(report.changes).toEqual([]);
    expect(await orm.em.fork().count(AuditEvent, {})).toBe(auditBefore);
  });

  it('updates a renamed school, closes a closed one, never deletes, and audits it', async () => {
    const [renamed, closing, dropped] = inNorfolk.filter((r) => r['EstablishmentStatus (name)'] === 'Open');
    const rows = fixture.rows
      .filter((r) => r !== dropped)
      .map((r) =>
        r === renamed
          ? { ...r, EstablishmentName: `${r.EstablishmentName} (renamed)` }
          : r === closing
            ? { ...r, 'EstablishmentStatus (name)': 'Closed', CloseDate: '31-12-2026' }
            : r,
      );
    await writeGiasCsv(establishments, ESTABLISHMENT_COLUMNS, rows);
    const report = await importGias(orm, [establishments], [926]);
    expect(report).toMatchObject({ created: 0, updated: 2, closed: 1 });
    const em = orm.em.fork();
    expect(await em.findOneOrFail(School, { urn: Number(closing!.URN) })).toMatchObject({ status: 'closed', closedOn: '2026-12-31' });
    expect(await em.count(School, { urn: Number(dropped!.URN) })).toBe(1); // missing from the file, kept
    const audit = await em.findOneOrFail(AuditEvent, { entityType: 'School', action: 'update', actor: 'system:gias-import' }, { orderBy: { id: 'desc' } });
    expect(audit.changes).toMatchObject({ status: 'closed' });
  });

  it('runs from the command line (npm run import:gias) and says what changed', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
    if (db.database.kind === 'postgresql') env.DATABASE_URL = db.database.url;
    else {
      // The embedded database is one process's: close ours while the command runs.
      await orm.close(true);
      delete env.DATABASE_URL;
      env.DATA_DIR = db.database.dataDir;
    }
    const { stdout } = await promisify(execFile)(process.execPath, ['api/dist/src/cli/import-gias.js', '--la', '926', establishments], { env });
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ rowsInScope: inNorfolk.length - 1, created: 0, updated: 0 });
    if (db.database.kind === 'embedded') orm = await createOrm({ database: db.database, logger: createLogger({ logLevel: 'silent', env: 'test' }) });
  });
});
