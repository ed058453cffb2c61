import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response, type Router } from 'express';
import type { CounterStore } from '../platform/limits/counter-store.js';
import { RateLimiter } from '../platform/limits/rate-limiter.js';
import { classifyError, HTTP_STATUS } from '../platform/errors.js';
import { longLondonDate } from '../platform/dates/today.js';
import type { Em } from '../platform/db/orm.js';
import { noteContent, renderContent } from '../notes/note-content.js';
import { GRADE_LABELS, JUDGEMENT_AREA_LABELS, JudgementArea } from '../notes/note.enums.js';
import { NOTE_TEXT_MAX_LENGTH as MAX_TEXT, PERSON_NAME_MAX_LENGTH as MAX_NAME } from '../notes/note.rules.js';
import { VISIT_TYPE_LABELS } from '../visits/visit.enums.js';
import { AccessLinkPurpose, type AccessLink } from './access-link.entity.js';
import { checkLink } from './links.service.js';
import { contentHtml, describedBy, errorSummary, fieldError, html, page, problemPage, type FieldError, type Markup } from './pages.js';
import { recordLinkUse, submitHeadteacherResponse, submitSchoolSection, type SchoolSectionAnswers } from './school-answers.service.js';
import { recordRefusal, type Refusal } from './refusals.service.js';
import { SchoolSection } from '../notes/school-section.entity.js';
import type { SchoolSideDeps } from './school-side.js';
import { feedbackForm, readFeedbackForm } from './partner-feedback.page.js';
import { submitPartnerFeedback } from './partner-feedback.service.js';

const AREAS = Object.values(JudgementArea);
const STATUS: Record<string, number> = { invalid: 404, wrong_purpose: 404, revoked: 410, expired: 410, used: 410, not_shared: 409, form: 403 };

/** Requests a minute the school's pages take per link and per client address (config.ts, SCHOOL_PAGES_*). */
export interface SchoolPageLimits {
  perLinkPerMinute: number;
  perAddressPerMinute: number;
}

/** What the pages' guards share: the two rate limiters and the audit of refusals. */
interface Guards {
  perLink: RateLimiter;
  perAddress: RateLimiter;
  newEm: () => Em;
}

/** The purpose a school page serves, from its path (for the audit of a refusal). */
const purposeOf = (req: Request): string | null =>
  req.path.startsWith('/school/section/')
    ? AccessLinkPurpose.SCHOOL_SECTION
    : req.path.startsWith('/school/response/')
      ? AccessLinkPurpose.HEADTEACHER_RESPONSE
      : req.path.startsWith('/school/feedback/')
        ? AccessLinkPurpose.PARTNER_FEEDBACK
        : null;

/** Audits a refused attempt: what was refused, the link when known, the client's address; never the token. */
function refuse(guards: Guards, req: Request, refused: Refusal, status: number, linkId: string | null = null, detail?: string): Promise<void> {
  return recordRefusal(guards.newEm(), {
    refused,
    linkId,
    purpose: purposeOf(req),
    address: req.ip ?? null,
    requestId: req.id ? String(req.id) : null,
    method: req.method,
    status,
    detail,
  });
}

/** The page for a request that is over its rate limit, with the wait in Retry-After and in words. */
function tooManyRequests(res: Response, seconds: number): void {
  const wait = seconds <= 60 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
  res
    .status(429)
    .set('Retry-After', String(seconds))
    .type('html')
    .send(
      page(
        'Too many attempts',
        html`<h1>Too many attempts</h1>
          <p>This page has been asked for too many times in a short while. Please wait ${wait} and try again.</p>`,
      ),
    );
}

/** Counts a request against a limiter; answers 429 (auditing the first refusal of the window) when over it. */
async function overLimit(guards: Guards, limiter: RateLimiter, key: string, req: Request, res: Response, linkId: string | null): Promise<boolean> {
  const { retryAfterSeconds, firstRefused } = await limiter.attempt(key);
  if (!retryAfterSeconds) return false;
  // Once per window: a flood would otherwise write an audit row per request it sends.
  if (firstRefused) await refuse(guards, req, 'rate_limited', 429, linkId, limiter === guards.perLink ? 'per link' : 'per address');
  tooManyRequests(res, retryAfterSeconds);
  return true;
}

/** A request the pages cannot read (a malformed header, body or address): a 4xx page, never a 500. */
function badRequestPage(res: Response, status: number): void {
  res
    .status(status)
    .type('html')
    .send(
      page(
        'This request could not be read',
        html`<h1>This request could not be read</h1>
          <p>Something in the request was not in the form expected. Open the link again from the email, and send the form from that page.</p>`,
      ),
    );
}

/** No framing, no scripts, no leaking the link in a Referer, no caching of a school's answers. */
function secure(res: Response): void {
  res.set({
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
}

/** A form's text as typed (trimmed, NUL characters dropped), or null when empty: never cut short. */
const text = (value: unknown): string | null => {
  const s = typeof value === 'string' ? value.replaceAll('\u0000', '').trim() : '';
  return s || null;
};

/**
 * Texts longer than the record keeps are refused with the form shown again as typed, never
 * shortened in silence (the browser's maxlength stops them first; this is the server's guard).
 */
function tooLong(errors: FieldError[], texts: [string, string, string | null, number][]): void {
  for (const [field, label, value, max] of texts) {
    if (value && value.length > max) errors.push({ field, text: `${label} is longer than ${max} characters (${value.length}): please shorten it.` });
  }
}

/**
 * A schools-side page that needs a live link of one purpose; anything else gets the page
 * explaining why, and the refusal is audited. A link with a good signature is also rate
 * limited by its id: counted only once the signature holds, so forged tokens naming a
 * school's link cannot use up that link's allowance (they count against their address).
 */
async function withLink(req: Request, res: Response, deps: SchoolSideDeps, guards: Guards, purpose: AccessLinkPurpose) {
  secure(res);
  const em = guards.newEm();
  const checked = await checkLink(em, deps, String(req.params.token), purpose);
  if (checked.link && (await overLimit(guards, guards.perLink, checked.link.id, req, res, checked.link.id))) return null;
  if (checked.problem) {
    await refuse(guards, req, checked.problem, STATUS[checked.problem] ?? 404, checked.link?.id ?? null);
    // Feedback on the partner: the school is not sent back to the partner it is about.
    const partner =
      checked.link && checked.link.purpose !== AccessLinkPurpose.PARTNER_FEEDBACK
        ? await (await checked.link.visit.loadOrFail()).leadPartner.loadOrFail()
        : null;
    res
      .status(STATUS[checked.problem] ?? 404)
      .type('html')
      .send(problemPage(checked.problem, partner));
    return null;
  }
  return { em, link: checked.link };
}

/** An Origin header's host, or undefined when the header is not an origin at all (a bad request, not a cross-site one). */
function originHost(origin: string): string | undefined {
  if (!URL.canParse(origin)) return undefined;
  const url = new URL(origin);
  return url.host && url.origin !== 'null' ? url.host : undefined;
}

/**
 * The form token: bound to the link, so a page elsewhere cannot post to it
 * without knowing the link itself; and a cross-site Origin is refused outright.
 * An Origin that is not one (unparseable) is a bad request, answered 400.
 */
function formCheck(req: Request, deps: SchoolSideDeps, link: AccessLink): 'ok' | 'form' | 'bad_request' {
  const origin = req.get('origin');
  if (origin && origin !== 'null') {
    const host = originHost(origin);
    if (host === undefined) return 'bad_request';
    if (host !== new URL(deps.publicUrl).host && origin !== `${req.protocol}://${req.get('host')}`) return 'form';
  }
  return typeof req.body?.form_token === 'string' && req.body.form_token === deps.signer.formToken(link) ? 'ok' : 'form';
}

/** Answers and audits a form that fails formCheck; true when it did. */
async function refusedForm(req: Request, res: Response, deps: SchoolSideDeps, guards: Guards, link: AccessLink): Promise<boolean> {
  const check = formCheck(req, deps, link);
  if (check === 'ok') return false;
  if (check === 'bad_request') {
    await refuse(guards, req, 'bad_request', 400, link.id, 'malformed Origin header');
    badRequestPage(res, 400);
  } else {
    await refuse(guards, req, 'form', 403, link.id);
    res.status(403).type('html').send(problemPage('form', null));
  }
  return true;
}

function gradeSelect(name: string, label: string, current: number | null | undefined, hint: string, errors: FieldError[]): Markup {
  return html`<label for="${name}">${label} <span class="hint">${hint}</span></label>
    ${fieldError(errors, name)}
    <select id="${name}" name="${name}" ${describedBy(errors, name)}>
      <option value="">Not graded</option>
      ${[1, 2, 3, 4].map((g) => html`<option value="${g}" ${current === g ? html` selected` : ''}>${GRADE_LABELS[g]}</option>`)}
    </select>`;
}

/** The school's section as a form shows it: as saved, or as just typed when it needs correcting. */
function sectionValues(section: SchoolSection | null): SchoolSectionAnswers | null {
  if (!section) return null;
  return {
    completedBy: section.completedBy ?? '',
    grades: Object.fromEntries(section.selfEvaluation.map((s) => [s.area, s.grade ?? null])),
    evidence: Object.fromEntries(section.selfEvaluation.map((s) => [s.area, s.evidence ?? null])),
    evidenceToShow: section.evidenceToShow ?? null,
    wantsFromVisit: section.wantsFromVisit ?? null,
  };
}

/** A text box with its label, its hint, and its error tied to it (GOV.UK's form group). */
function textArea(errors: FieldError[], name: string, label: string, value: string | null | undefined, hint?: string): Markup {
  return html`<div class="${errors.some((e) => e.field === name) ? 'field-error' : ''}">
    <label for="${name}">${label}</label>
    ${hint ? html`<div class="hint" id="${name}-hint">${hint}</div>` : ''} ${fieldError(errors, name)}
    <textarea id="${name}" name="${name}" maxlength="${MAX_TEXT}" ${describedBy(errors, name, hint ? `${name}-hint` : undefined)}>${value ?? ''}</textarea>
  </div>`;
}

function nameInput(errors: FieldError[], name: string, label: string, value: string | null | undefined): Markup {
  return html`<div class="${errors.some((e) => e.field === name) ? 'field-error' : ''}">
    <label for="${name}">${label}</label>
    ${fieldError(errors, name)}
    <input type="text" id="${name}" name="${name}" maxlength="${MAX_NAME}" required autocomplete="name" value="${value ?? ''}" ${describedBy(errors, name)} />
  </div>`;
}

function sectionForm(deps: SchoolSideDeps, link: AccessLink, title: string, section: SchoolSectionAnswers | null, errors: FieldError[] = []): string {
  return page(
    title,
    html`${errorSummary(errors)}
      <h1>${title}</h1>
      <p>Please complete the school's section before the visit. Your grades become the school's view in the note of visit.</p>
      <form method="post" action="" novalidate>
        <input type="hidden" name="form_token" value="${deps.signer.formToken(link)}" />
        ${AREAS.map(
          (area) =>
            html`<fieldset>
              <legend>${JUDGEMENT_AREA_LABELS[area]}</legend>
              ${gradeSelect(`grade_${area}`, "The school's grade", section?.grades[area], '(1 outstanding to 4 inadequate)', errors)}
              ${textArea(errors, `evidence_${area}`, 'Evidence for this judgement (optional)', section?.evidence[area])}
            </fieldset>`,
        )}
        ${textArea(errors, 'evidence_to_show', 'Evidence you will show on the day', section?.evidenceToShow)}
        ${textArea(errors, 'wants_from_visit', 'What you would like from the visit', section?.wantsFromVisit)}
        ${nameInput(errors, 'completed_by', 'Your name and role', section?.completedBy)}
        <p><button type="submit" id="send">Send the school's section</button></p>
      </form>`,
    { errors: errors.length > 0 },
  );
}

/** A dispute without a reason: the form shows the error at the first judgement's comment. */
const DISPUTE_FIELD = 'judgement_comments';

/** What the headteacher typed, shown again when the response needs correcting. */
interface ResponseTyped {
  agreed: boolean | null;
  judgementComments: Record<string, string | null>;
  comment: string | null;
  respondent: string;
}

async function responseForm(deps: SchoolSideDeps, link: AccessLink, found: FieldError[] = [], typed: ResponseTyped | null = null): Promise<string> {
  const note = await link.note!.loadOrFail();
  const visit = await note.visit.loadOrFail();
  const school = await visit.school.loadOrFail();
  const content = await noteContent(note);
  const title = `Draft note of visit: ${school.name}`;
  const areas = (content.judgements as { area: JudgementArea }[]).map((j) => j.area);
  // "Say what you dispute" belongs to the judgements' comments: its link goes to the first of them.
  const firstComment = areas.length ? `comment_${areas[0]}` : 'comment';
  const errors = found.map((e) => (e.field === DISPUTE_FIELD ? { ...e, field: firstComment } : e));
  return page(
    title,
    html`${errorSummary(errors)}
      <h1>${title}</h1>
      <p>${VISIT_TYPE_LABELS[visit.type]}, ${longLondonDate(visit.startsAt)}.</p>
      ${contentHtml(renderContent(content))}
      <h2>Your response</h2>
      <form method="post" action="" novalidate>
        <input type="hidden" name="form_token" value="${deps.signer.formToken(link)}" />
        <fieldset class="radio ${errors.some((e) => e.field === 'agree_yes') ? 'field-error' : ''}" ${describedBy(errors, 'agree_yes')}>
          <legend>Do you agree with the draft note?</legend>
          ${fieldError(errors, 'agree_yes')}
          <span
            ><input type="radio" id="agree_yes" name="agreed" value="yes" required ${typed?.agreed === true ? html`checked` : ''} /><label for="agree_yes"
              >Yes, I agree</label
            ></span
          >
          <span
            ><input type="radio" id="agree_no" name="agreed" value="no" ${typed?.agreed === false ? html`checked` : ''} /><label for="agree_no"
              >No, I dispute it</label
            ></span
          >
        </fieldset>
        <fieldset>
          <legend>If you dispute a judgement, say why <span class="hint">(optional for the others)</span></legend>
          ${areas.map((area) => textArea(errors, `comment_${area}`, JUDGEMENT_AREA_LABELS[area], typed?.judgementComments[area]))}
        </fieldset>
        ${textArea(errors, 'comment', 'Any other comment', typed?.comment)} ${nameInput(errors, 'respondent', 'Your name', typed?.respondent)}
        <p><button type="submit" id="send">Send my response</button></p>
      </form>`,
    { errors: errors.length > 0 },
  );
}

/** The pages the school reaches through its links: its section of the visit record, and the headteacher's response. */
export function schoolSideRouter(deps: SchoolSideDeps, newEm: () => Em, limits: SchoolPageLimits, counters: CounterStore): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 50 });
  // Counted in the store every instance shares (platform/limits): the limits hold however many instances serve.
  const guards: Guards = {
    perLink: new RateLimiter(counters, 'school-link', limits.perLinkPerMinute),
    perAddress: new RateLimiter(counters, 'school-address', limits.perAddressPerMinute),
    newEm,
  };

  // Every school page counts against its client's address first, before any body is read or link looked up.
  router.use('/school', async (req: Request, res: Response, next: NextFunction) => {
    try {
      secure(res);
      if (await overLimit(guards, guards.perAddress, req.ip ?? 'unknown', req, res, null)) return;
      next();
    } catch (error) {
      next(error);
    }
  });

  router.get('/school/section/:token', async (req, res, next) => {
    try {
      const ok = await withLink(req, res, deps, guards, AccessLinkPurpose.SCHOOL_SECTION);
      if (!ok) return;
      ok.link.lastOpenedAt = deps.clock.now();
      await recordLinkUse(ok.em, ok.link, 'open', {}, String(req.id));
      const visit = await ok.link.visit.loadOrFail();
      const school = await visit.school.loadOrFail();
      const section = await ok.em.findOne(SchoolSection, { visit: visit.id });
      res.type('html').send(sectionForm(deps, ok.link, `${school.name}: before the visit on ${longLondonDate(visit.startsAt)}`, sectionValues(section)));
    } catch (error) {
      next(error);
    }
  });

  router.post('/school/section/:token', form, async (req, res, next) => {
    try {
      const ok = await withLink(req, res, deps, guards, AccessLinkPurpose.SCHOOL_SECTION);
      if (!ok) return;
      if (await refusedForm(req, res, deps, guards, ok.link)) return;
      const errors: FieldError[] = [];
      const answers: SchoolSectionAnswers = {
        completedBy: text(req.body.completed_by) ?? '',
        grades: {},
        evidence: {},
        evidenceToShow: text(req.body.evidence_to_show),
        wantsFromVisit: text(req.body.wants_from_visit),
      };
      for (const area of AREAS) {
        const grade = String(req.body[`grade_${area}`] ?? '');
        if (grade && !/^[1-4]$/.test(grade)) errors.push({ field: `grade_${area}`, text: `${JUDGEMENT_AREA_LABELS[area]}: choose a grade from the list.` });
        answers.grades[area] = grade ? Number(grade) : null;
        answers.evidence[area] = text(req.body[`evidence_${area}`]);
      }
      if (!answers.completedBy) errors.push({ field: 'completed_by', text: 'Give your name and role.' });
      tooLong(errors, [
        ['completed_by', 'Your name and role', answers.completedBy, MAX_NAME],
        ['evidence_to_show', 'Evidence you will show on the day', answers.evidenceToShow, MAX_TEXT],
        ['wants_from_visit', 'What you would like from the visit', answers.wantsFromVisit, MAX_TEXT],
        ...AREAS.map((area): [string, string, string | null, number] => [
          `evidence_${area}`,
          `Evidence for ${JUDGEMENT_AREA_LABELS[area]}`,
          answers.evidence[area] ?? null,
          MAX_TEXT,
        ]),
      ]);
      const visit = await ok.link.visit.loadOrFail();
      const school = await visit.school.loadOrFail();
      if (errors.length) {
        res
          .status(400)
          .type('html')
          .send(sectionForm(deps, ok.link, `${school.name}: before the visit on ${longLondonDate(visit.startsAt)}`, answers, errors));
        return;
      }
      await submitSchoolSection(newEm(), ok.link.id, answers, deps.clock.now(), String(req.id));
      res.type('html').send(
        page(
          'Thank you',
          html`<h1>Thank you</h1>
            <p>
              The school's section has reached your school improvement partner. You can open the link again to change it until
              ${longLondonDate(ok.link.expiresAt)}.
            </p>`,
        ),
      );
    } catch (error) {
      next(error);
    }
  });

  router.get('/school/response/:token', async (req, res, next) => {
    try {
      const ok = await withLink(req, res, deps, guards, AccessLinkPurpose.HEADTEACHER_RESPONSE);
      if (!ok) return;
      const note = await ok.link.note!.loadOrFail();
      if (note.status !== 'shared') {
        await refuse(guards, req, 'not_shared', STATUS.not_shared!, ok.link.id);
        res
          .status(STATUS.not_shared!)
          .type('html')
          .send(problemPage('not_shared', await note.author.loadOrFail()));
        return;
      }
      ok.link.lastOpenedAt = deps.clock.now();
      await recordLinkUse(ok.em, ok.link, 'open', {}, String(req.id));
      res.type('html').send(await responseForm(deps, ok.link));
    } catch (error) {
      next(error);
    }
  });

  router.post('/school/response/:token', form, async (req, res, next) => {
    try {
      const ok = await withLink(req, res, deps, guards, AccessLinkPurpose.HEADTEACHER_RESPONSE);
      if (!ok) return;
      if (await refusedForm(req, res, deps, guards, ok.link)) return;
      const agreed = req.body.agreed === 'yes' ? true : req.body.agreed === 'no' ? false : null;
      const judgementComments = Object.fromEntries(AREAS.map((a) => [a, text(req.body[`comment_${a}`])]));
      const comment = text(req.body.comment);
      const respondent = text(req.body.respondent) ?? '';
      const errors: FieldError[] = [];
      if (agreed === null) errors.push({ field: 'agree_yes', text: 'Say whether you agree with the draft note.' });
      if (agreed === false && !comment && !Object.values(judgementComments).some(Boolean))
        errors.push({ field: DISPUTE_FIELD, text: 'Say what you dispute: add a comment against a judgement or overall.' });
      if (!respondent) errors.push({ field: 'respondent', text: 'Give your name.' });
      tooLong(errors, [
        ['respondent', 'Your name', respondent, MAX_NAME],
        ['comment', 'Your comment', comment, MAX_TEXT],
        ...AREAS.map((area): [string, string, string | null, number] => [
          `comment_${area}`,
          `Your comment on ${JUDGEMENT_AREA_LABELS[area]}`,
          judgementComments[area] ?? null,
          MAX_TEXT,
        ]),
      ]);
      if (errors.length) {
        res
          .status(400)
          .type('html')
          .send(await responseForm(deps, ok.link, errors, { agreed, judgementComments, comment, respondent }));
        return;
      }
      const outcome = await submitHeadteacherResponse(
        newEm(),
        ok.link.id,
        { agreed: agreed!, comment, judgementComments, respondent },
        deps.clock.now(),
        String(req.id),
      );
      if (!outcome.ok) {
        await refuse(guards, req, 'not_shared', STATUS.not_shared!, ok.link.id);
        res.status(STATUS.not_shared!).type('html').send(problemPage('not_shared', null));
        return;
      }
      res.type('html').send(
        page(
          'Thank you',
          html`<h1>Thank you</h1>
            <p>Your response has reached your school improvement partner${agreed ? '' : ', who will be in touch about the points you dispute'}.</p>`,
        ),
      );
    } catch (error) {
      next(error);
    }
  });

  // The headteacher's feedback on their partner (quality assurance): one submission per link.
  const feedbackPage = async (link: AccessLink) => {
    const visit = await link.visit.loadOrFail();
    return {
      formToken: deps.signer.formToken(link),
      schoolName: (await visit.school.loadOrFail()).name,
      partnerName: (await visit.leadPartner.loadOrFail()).name,
    };
  };

  router.get('/school/feedback/:token', async (req, res, next) => {
    try {
      const ok = await withLink(req, res, deps, guards, AccessLinkPurpose.PARTNER_FEEDBACK);
      if (!ok) return;
      ok.link.lastOpenedAt = deps.clock.now();
      await recordLinkUse(ok.em, ok.link, 'open', {}, String(req.id));
      res.type('html').send(feedbackForm(await feedbackPage(ok.link), null));
    } catch (error) {
      next(error);
    }
  });

  router.post('/school/feedback/:token', form, async (req, res, next) => {
    try {
      const ok = await withLink(req, res, deps, guards, AccessLinkPurpose.PARTNER_FEEDBACK);
      if (!ok) return;
      if (await refusedForm(req, res, deps, guards, ok.link)) return;
      const { typed, answers, errors } = readFeedbackForm(req.body ?? {}, text);
      if (errors.length) {
        res
          .status(400)
          .type('html')
          .send(feedbackForm(await feedbackPage(ok.link), typed, errors));
        return;
      }
      const outcome = await submitPartnerFeedback(newEm(), ok.link.id, answers, deps.clock.now(), String(req.id));
      if (!outcome.ok) {
        await refuse(guards, req, 'used', STATUS.used!, ok.link.id);
        res.status(STATUS.used!).type('html').send(problemPage('used', null));
        return;
      }
      res.type('html').send(
        page(
          'Thank you',
          html`<h1>Thank you</h1>
            <p>Your feedback has reached the council's senior advisers.</p>`,
        ),
      );
    } catch (error) {
      next(error);
    }
  });

  // What goes wrong on a school page is answered as a page: a request it cannot read (a malformed
  // path, body, Content-Type or Content-Length; body-parser and Express give these a 4xx status) is
  // audited and answered with its 4xx; anything else is logged and answered without detail.
  router.use('/school', (async (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const given = (err as { status?: unknown } | null)?.status;
    const known = classifyError(err);
    const status = typeof given === 'number' && given >= 400 && given < 500 ? given : known ? HTTP_STATUS[known.code] : 500;
    try {
      secure(res);
      if (status >= 500) {
        if (!known) req.log.error({ err }, 'unexpected error on a school page');
        res
          .status(status)
          .type('html')
          .send(
            page(
              'Something went wrong',
              html`<h1>Something went wrong</h1>
                <p>Nothing was saved. Please try again in a few minutes; if it keeps happening, contact your school improvement partner.</p>`,
            ),
          );
        return;
      }
      await refuse(guards, req, 'bad_request', status, null, (err as { type?: unknown }).type ? String((err as { type: unknown }).type) : undefined);
      badRequestPage(res, status);
    } catch (error) {
      next(error);
    }
  }) satisfies ErrorRequestHandler);
  return router;
}
