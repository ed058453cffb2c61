import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { ref } from '@mikro-orm/core';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { runAs } from '../platform/audit/audit-context.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { DomainEventKind, recordEvent } from '../platform/events/domain-events.js';
import type { Em, Orm } from '../platform/db/orm.js';
import { Address } from '../schools/address.embeddable.js';
import { Contact } from '../schools/contact.embeddable.js';
import { SchoolSuccession } from '../schools/school-succession.entity.js';
import { School } from '../schools/school.entity.js';
import { SchoolStatus } from '../schools/school.enums.js';
import { linkFromRow, schoolFromRow, successionKind, type GiasLink, type GiasSchool, type Row } from './gias-mapping.js';

export interface GiasImportReport {
  rowsRead: number;
  rowsInScope: number;
  created: number;
  updated: number;
  unchanged: number;
  closed: number;
  linksCreated: number;
  linksAlreadyKnown: number;
  /** Links naming a school outside the authorities imported. */
  linksOutOfScope: number;
  skipped: string[];
  changes: string[];
}

const BATCH = 500;

/** Rows of a GIAS CSV, decoded from Windows-1252 as the downloads are, read as a stream. */
async function* rows(file: string): AsyncGenerator<Row> {
  const parser = createReadStream(file)
    .pipe(iconv.decodeStream('win1252'))
    .pipe(parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, trim: false }));
  for await (const row of parser) yield row as Row;
}

async function kindOf(file: string): Promise<'establishments' | 'links'> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const header = iconv.decode(buffer.subarray(0, bytesRead), 'win1252').split(/\r?\n/)[0] ?? '';
    if (header.includes('LinkURN')) return 'links';
    if (header.includes('EstablishmentName')) return 'establishments';
    throw new Error(`${file} is neither a GIAS establishment file (EstablishmentName column) nor a links file (LinkURN column).`);
  } finally {
    await handle.close();
  }
}

/** The register's view of a school, in the shape stored here, for comparison and update. */
function stored(school: GiasSchool, existing: School | null) {
  const sameHead = existing?.headteacher?.name === school.headteacherName;
  return {
    urn: school.urn,
    laCode: school.laCode,
    establishmentNumber: school.establishmentNumber,
    name: school.name,
    phase: school.phase,
    type: school.type,
    establishmentTypeName: school.establishmentTypeName,
    status: school.status,
    openedOn: school.openedOn,
    closedOn: school.closedOn,
    lastOfstedGrade: school.lastOfstedGrade,
    lastOfstedDate: school.lastOfstedDate,
    district: school.district,
    address: school.address ? Object.assign(new Address(), school.address) : null,
    // GIAS has the head's name but not their email: keep the email we have while the name stays.
    headteacher: school.headteacherName
      ? Object.assign(new Contact(), { name: school.headteacherName, email: sameHead ? (existing?.headteacher?.email ?? null) : null })
      : null,
  };
}

const plain = (v: unknown) => JSON.stringify(v === undefined ? null : v);

/** Tells council systems (platform/events) that the register changed a school: created, changed, or closed. */
function registerChanged(tx: Em, school: School, what: { created: boolean; closed: boolean }, now: Date): void {
  recordEvent(tx, { kind: DomainEventKind.SCHOOL_REGISTER_CHANGED, schoolId: school.id, data: what }, now);
}

/** Creates or updates one batch of schools in one transaction; returns what changed. */
async function upsertBatch(orm: Orm, batch: GiasSchool[], report: GiasImportReport, now: Date): Promise<void> {
  await (orm.em.fork() as Em).transactional(async (tx) => {
    const existing = new Map((await tx.find(School, { urn: { $in: batch.map((s) => s.urn) } })).map((s) => [s.urn, s]));
    for (const school of batch) {
      const current = existing.get(school.urn) ?? null;
      const wanted = stored(school, current);
      if (!current) {
        const created = Object.assign(new School(), wanted);
        tx.persist(created);
        registerChanged(tx, created, { created: true, closed: wanted.status === SchoolStatus.CLOSED }, now);
        report.created += 1;
        report.changes.push(`created ${school.urn} ${school.name}`);
        continue;
      }
      const changed = (Object.keys(wanted) as (keyof typeof wanted)[]).filter((key) => plain(current[key]) !== plain(wanted[key]));
      if (!changed.length) {
        report.unchanged += 1;
        continue;
      }
      const closed = changed.includes('status') && wanted.status === SchoolStatus.CLOSED;
      if (closed) report.closed += 1;
      Object.assign(current, wanted);
      registerChanged(tx, current, { created: false, closed }, now);
      report.updated += 1;
      report.changes.push(`updated ${school.urn} ${school.name}: ${changed.join(', ')}`);
    }
  });
}

async function importLinks(orm: Orm, links: GiasLink[], sponsors: Map<number, string>, report: GiasImportReport): Promise<void> {
  const unique = new Map(links.map((l) => [`${l.predecessorUrn}>${l.successorUrn}`, l]));
  const urns = [...new Set([...unique.values()].flatMap((l) => [l.predecessorUrn, l.successorUrn]))];
  await (orm.em.fork() as Em).transactional(async (tx) => {
    const schools = new Map<number, School>();
    for (let i = 0; i < urns.length; i += BATCH) {
      for (const s of await tx.find(School, { urn: { $in: urns.slice(i, i + BATCH) } })) schools.set(s.urn, s);
    }
    const known = new Set(
      (await tx.find(SchoolSuccession, { successor: { $in: [...schools.values()].map((s) => s.id) } })).map((l) => `${l.predecessor.id}>${l.successor.id}`),
    );
    for (const link of unique.values()) {
      const predecessor = schools.get(link.predecessorUrn);
      const successor = schools.get(link.successorUrn);
      if (!predecessor || !successor) {
        report.linksOutOfScope += 1;
        continue;
      }
      if (known.has(`${predecessor.id}>${successor.id}`)) {
        report.linksAlreadyKnown += 1;
        continue;
      }
      known.add(`${predecessor.id}>${successor.id}`);
      tx.persist(
        Object.assign(new SchoolSuccession(), {
          predecessor: ref(predecessor),
          successor: ref(successor),
          kind: successionKind(link, successor.type),
          effectiveOn: link.effectiveOn,
          sponsor: sponsors.get(successor.urn) ?? null,
        }),
      );
      report.linksCreated += 1;
      report.changes.push(`linked ${predecessor.urn} → ${successor.urn}`);
    }
  });
}

/**
 * Brings the schools of some local authorities into line with GIAS downloads:
 * creates and updates schools by URN, closes those the register has closed,
 * links predecessors and successors, and never deletes anything. Running it
 * again on the same files changes nothing. Files are streamed (the national
 * file is ~60 MB); establishment files are read before links files.
 */
export async function importGias(orm: Orm, files: string[], laCodes: number[], clock: Clock = systemClock): Promise<GiasImportReport> {
  const report: GiasImportReport = {
    rowsRead: 0,
    rowsInScope: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    closed: 0,
    linksCreated: 0,
    linksAlreadyKnown: 0,
    linksOutOfScope: 0,
    skipped: [],
    changes: [],
  };
  const las = new Set(laCodes);
  const kinds = await Promise.all(files.map(async (file) => ({ file, kind: await kindOf(file) })));
  const sponsors = new Map<number, string>();
  const links: GiasLink[] = [];

  await runAs({ actor: 'system:gias-import' }, async () => {
    for (const { file } of kinds.filter((k) => k.kind === 'establishments')) {
      let batch: GiasSchool[] = [];
      for await (const row of rows(file)) {
        report.rowsRead += 1;
        const school = schoolFromRow(row);
        if (typeof school === 'string') {
          report.skipped.push(`${file}: ${school}`);
          continue;
        }
        if (!las.has(school.laCode)) continue;
        report.rowsInScope += 1;
        if (school.sponsor) sponsors.set(school.urn, school.sponsor);
        batch.push(school);
        if (batch.length >= BATCH) {
          await upsertBatch(orm, batch, report, clock.now());
          batch = [];
        }
      }
      if (batch.length) await upsertBatch(orm, batch, report, clock.now());
    }
    for (const { file } of kinds.filter((k) => k.kind === 'links')) {
      for await (const row of rows(file)) {
        report.rowsRead += 1;
        const link = linkFromRow(row);
        if (link) links.push(link);
      }
    }
    if (links.length) await importLinks(orm, links, sponsors, report);
  });
  return report;
}
