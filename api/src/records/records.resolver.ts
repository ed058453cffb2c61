import { IsEmail, IsIn, IsOptional, MaxLength } from 'class-validator';
import { Arg, Ctx, Field, InputType, Int, Mutation, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import type { Em } from '../platform/db/orm.js';
import { anonymisePerson, type FormerRole } from './anonymise.service.js';
import { DisposalLog } from './disposal-log.entity.js';
import { personTerms } from './person-search.js';
import type { RecordsContext } from './records.context.js';
import { periodText, RETENTION_RULES } from './retention.rules.js';
import { exportSubjectAccess } from './subject-access.service.js';

export enum FormerRoleKind {
  HEADTEACHER = 'headteacher',
  GOVERNOR = 'governor',
  PARTNER = 'partner',
  CONTACT = 'contact',
}
registerEnumType(FormerRoleKind, { name: 'FormerRole', description: 'Who an anonymised person was, for their pseudonym ("Former headteacher 1a2b").' });

@ObjectType({ description: 'How many records of one table.' })
class TableCount {
  @Field() table!: string;
  @Field(() => Int) count!: number;
}

const tableCounts = (counts: Record<string, number>): TableCount[] =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, count]) => Object.assign(new TableCount(), { table, count }));

@ObjectType({ description: 'One entry of the retention schedule: a kind of record, what its period counts from, and how long it is kept.' })
class RetentionScheduleEntry {
  @Field({ description: 'The kind, as its environment variable names it (RETENTION_<KIND>).' }) kind!: string;
  @Field({ description: 'The table its records are in.' }) table!: string;
  @Field({ description: 'What the period counts from.' }) trigger!: string;
  @Field({ description: 'How long after the trigger the record is kept, e.g. "6 years".' }) period!: string;
}

@ObjectType({ description: 'A run of the disposal job.' })
class DisposalRun {
  @Field({ description: 'False when another server was running the job at that moment: nothing was done here.' }) ran!: boolean;
  @Field(() => String, { nullable: true, description: "The run's id, as the disposal log records it." }) runId!: string | null;
  @Field(() => [TableCount], { description: 'Records disposed of, by table.' }) disposed!: TableCount[];
}

@ObjectType({ description: 'Everything held about a person, as one JSON document (the subject access export).' })
class SubjectAccessExportResult {
  @Field(() => Int, { description: 'Records found.' }) total!: number;
  @Field(() => [TableCount]) tables!: TableCount[];
  @Field({ description: 'The document: JSON, format "school-visits/subject-access-export@1", records grouped by table, each row as held.' })
  document!: string;
}

@ObjectType({ description: "A person's name and address replaced by a pseudonym wherever the records hold them." })
class AnonymisationResult {
  @Field() pseudonym!: string;
  @Field() pseudonymEmail!: string;
  @Field(() => [TableCount], { description: 'Rows changed, by table.' }) changed!: TableCount[];
  @Field(() => Int, { description: 'Rows still naming the person (0 unless a name sits where it cannot be replaced safely); check these by hand.' })
  remaining!: number;
}

@InputType({ description: 'A person, found by email address and/or full name.' })
class PersonInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'The full name, matched as whole words, case-insensitively.' })
  @IsOptional()
  @MaxLength(200)
  name?: string | null;
}

@InputType()
class AnonymisePersonInput extends PersonInput {
  @Field(() => FormerRoleKind)
  @IsIn(Object.values(FormerRoleKind))
  formerRole!: FormerRoleKind;
}

/** Retention and rights (issue 20): a senior adviser's tools; refused to partners and services. */
@Resolver()
export class RecordsResolver {
  @Query(() => [RetentionScheduleEntry], { description: 'The retention schedule in force (README, "Retention and rights"). Managers only.' })
  retentionSchedule(@Ctx() { access, records }: RecordsContext): RetentionScheduleEntry[] {
    access.assertManager('read the retention schedule');
    return RETENTION_RULES.map((rule) =>
      Object.assign(new RetentionScheduleEntry(), {
        kind: rule.kind,
        table: rule.table,
        trigger: rule.trigger,
        period: periodText(records.retention.schedule[rule.kind]),
      }),
    );
  }

  @Query(() => [DisposalLog], { description: 'The disposal log, newest first. Managers only.' })
  async disposalLog(@Arg('limit', () => Int, { defaultValue: 100 }) limit: number, @Ctx() { access, em }: RecordsContext): Promise<DisposalLog[]> {
    access.assertManager('read the disposal log');
    return em.find(DisposalLog, {}, { orderBy: { disposedAt: 'desc', createdAt: 'desc' }, limit: Math.max(1, Math.min(limit, 1000)) });
  }

  @Mutation(() => DisposalRun, {
    description: 'Disposes now of every record past its retention (the scheduled job, run on demand). Managers only; logged and audited.',
  })
  async disposeExpiredRecords(@Ctx() { access, records, clock }: RecordsContext): Promise<DisposalRun> {
    access.assertManager('dispose of records');
    const summary = await records.disposal.runOnce(clock.now());
    return Object.assign(new DisposalRun(), { ran: summary !== null, runId: summary?.runId ?? null, disposed: tableCounts(summary?.disposed ?? {}) });
  }

  @Mutation(() => SubjectAccessExportResult, {
    description:
      'Everything held about a person (a subject access request), as one JSON document. Managers only; audited (the terms are recorded as a digest).',
  })
  async exportSubjectAccess(@Arg('person') person: PersonInput, @Ctx() { access, em, clock }: RecordsContext): Promise<SubjectAccessExportResult> {
    access.assertManager('export what is held about a person');
    const result = await exportSubjectAccess(em.fork() as Em, personTerms(person), clock.now());
    return Object.assign(new SubjectAccessExportResult(), {
      total: result.total,
      tables: tableCounts(result.document.counts),
      document: JSON.stringify(result.document, null, 2),
    });
  }

  @Mutation(() => AnonymisationResult, {
    description: "Replaces a person's name and email address wherever the records hold them by a stable pseudonym, in one audited transaction. Managers only.",
  })
  async anonymisePerson(@Arg('input') input: AnonymisePersonInput, @Ctx() { access, em }: RecordsContext): Promise<AnonymisationResult> {
    access.assertManager('anonymise a person');
    const result = await anonymisePerson(em.fork() as Em, personTerms(input), input.formerRole as FormerRole);
    return Object.assign(new AnonymisationResult(), { ...result, changed: tableCounts(result.changed) });
  }
}
