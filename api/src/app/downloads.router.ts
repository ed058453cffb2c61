import express, { type RequestHandler, type Router } from 'express';
import { AccessPolicy, type AccessOptions } from '../platform/auth/access-policy.js';
import type { Principal } from '../platform/auth/principal.js';
import type { Clock } from '../platform/clock.js';
import type { Em } from '../platform/db/orm.js';
import { badInput, classifyError, HTTP_STATUS } from '../platform/errors.js';
import { targetsForYear } from '../reports/reports.service.js';
import { targetsCsv } from '../reports/targets-csv.js';
import { findOr404 } from '../platform/graphql/lookup.js';
import { NoteOfVisit } from '../notes/note-of-visit.entity.js';
import { Visit } from '../visits/visit.entity.js';
import { assertCanSeeVisit } from '../visits/visit.access.js';
import { noteDocx, notePdf } from '../notes/note-docx.js';
import { agendaDocx, agendaPdf } from '../visits/agenda-docx.js';
import { visitIcs } from '../visits/visit-ics.js';
import { visitDocument, type VisitDocument } from '../visits/visit-document.js';
import { assertCanReadNote } from '../notes/note.access.js';
import { businessDateOf } from '../platform/dates/today.js';
import type { GraphQLSchema } from 'graphql';
import { BULK_EXPORTS } from '../exports/bulk-exports.js';
import { sendBulkExport } from '../exports/send-export.js';
import { SERVICE_FIELDS } from './service-fields.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const fileName = (doc: VisitDocument, extension: string) =>
  `${doc.title
    .replace(/[^A-Za-z0-9 -]+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80)}.${extension}`;

/**
 * Files the add-in fetches with its bearer token: a visit's agenda as .docx and
 * the visit as .ics. The same sign-in and the same read rules as the API.
 */
export function exportsRouter(deps: {
  authenticate: RequestHandler;
  newEm: () => Em;
  clock: Clock;
  access?: AccessOptions;
  /** The GraphQL schema: the bulk exports read their parameters and write their values by its types. */
  schema: GraphQLSchema;
}): Router {
  const router = express.Router();

  const load = async (id: string, res: express.Response) => {
    const em = deps.newEm();
    const access = new AccessPolicy(res.locals.principal as Principal, em, deps.clock, deps.access);
    const visit = await findOr404(em, Visit, 'Visit', id);
    await assertCanSeeVisit(access, visit);
    const [school, agenda] = await Promise.all([visit.school.loadOrFail(), visit.agendaItems.load()]);
    return { visit, doc: visitDocument(visit, school, agenda.getItems()) };
  };

  const handle =
    (send: (id: string, res: express.Response) => Promise<void>): RequestHandler =>
    async (req, res, next) => {
      try {
        await send(String(req.params.id), res);
      } catch (error) {
        const known = classifyError(error);
        if (!known) return next(error);
        res.status(HTTP_STATUS[known.code]).json({ errors: [{ message: known.message, extensions: { code: known.code } }] });
      }
    };

  // The agenda in Word and as a tagged PDF: one document model (visits/agenda-docx.ts), the same read check.
  for (const [extension, type, render] of [
    ['docx', DOCX, agendaDocx],
    ['pdf', 'application/pdf', agendaPdf],
  ] as const) {
    router.get(
      `/exports/visits/:id/agenda.${extension}`,
      deps.authenticate,
      handle(async (id, res) => {
        const { doc } = await load(id, res);
        res
          .type(type)
          .attachment(fileName({ ...doc, title: `Agenda - ${doc.title}` }, extension))
          .send(await render(doc));
      }),
    );
  }

  router.get(
    '/exports/visits/:id/visit.ics',
    deps.authenticate,
    handle(async (id, res) => {
      const { visit, doc } = await load(id, res);
      res
        .type('text/calendar; charset=utf-8')
        .attachment(fileName(doc, 'ics'))
        .send(visitIcs(doc, visit.appointment?.icalUid ?? null, visit.version));
    }),
  );
  // The note in Word and as a tagged PDF: one document model (notes/note-document.ts), the same read check as GraphQL.
  for (const [extension, type, render] of [
    ['docx', DOCX, noteDocx],
    ['pdf', 'application/pdf', notePdf],
  ] as const) {
    router.get(
      `/exports/notes/:id/note.${extension}`,
      deps.authenticate,
      handle(async (id, res) => {
        const em = deps.newEm();
        const access = new AccessPolicy(res.locals.principal as Principal, em, deps.clock, deps.access);
        const note = await findOr404(em, NoteOfVisit, 'NoteOfVisit', id);
        const visit = await note.visit.loadOrFail();
        await assertCanReadNote(access, note, { id: visit.id, schoolId: visit.school.id, leadPartnerId: visit.leadPartner.id }, em);
        const school = await visit.school.loadOrFail();
        const name = `Note of visit - ${school.name.replace(/[^A-Za-z0-9 -]+/g, '').slice(0, 60)} - ${businessDateOf(visit.startsAt)}.${extension}`;
        res
          .type(type)
          .attachment(name)
          .send(await render(note));
      }),
    );
  }
  router.get(
    '/exports/reports/targets.csv',
    deps.authenticate,
    handle(async (_id, res) => {
      const year = Number(res.req.query.year);
      if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput('Give the cohort year: /exports/reports/targets.csv?year=2027', 'year');
      const em = deps.newEm();
      const targets = await targetsForYear(em, new AccessPolicy(res.locals.principal as Principal, em, deps.clock, deps.access), year);
      res.type('text/csv; charset=utf-8').attachment(`targets-${year}.csv`).send(targetsCsv(targets));
    }),
  );
  // Bulk exports (issue 23): schools, visits and the notes' judgements, recommendations and targets, streamed as
  // CSV or NDJSON with the lists' filters, changedSince and the same access as GraphQL (exports/, docs/api.md).
  for (const bulk of BULK_EXPORTS) {
    for (const format of ['csv', 'ndjson'] as const) {
      router.get(
        `/exports/${bulk.name}.${format}`,
        deps.authenticate,
        handle(async (_id, res) => {
          const em = deps.newEm();
          const access = new AccessPolicy(res.locals.principal as Principal, em, deps.clock, deps.access);
          const context = { em, access, schema: deps.schema, policy: SERVICE_FIELDS, today: businessDateOf(deps.clock.now()) };
          await sendBulkExport(context, bulk, format, res.req.query, res);
        }),
      );
    }
  }
  return router;
}
