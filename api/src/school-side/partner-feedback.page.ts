import {
  FEEDBACK_COMMENTS_MAX_LENGTH,
  FEEDBACK_RATING_LABELS,
  FEEDBACK_RATINGS,
  FEEDBACK_RESPONDENT_MAX_LENGTH,
  type HeadteacherFeedbackAnswers,
} from '../quality/headteacher-feedback.rules.js';
import { describedBy, errorSummary, fieldError, html, page, type FieldError, type Markup } from './pages.js';

/** "Cannot say": a rating the headteacher leaves out on purpose (kept as no rating). */
const CANNOT_SAY = '0';

/** What the headteacher typed: ratings as sent ("0" for cannot say), shown again when the form needs correcting. */
export interface FeedbackTyped {
  ratings: Record<string, string | null>;
  comments: string | null;
  respondent: string;
}

/** The id of a rating's first radio: where the error summary's link takes the headteacher. */
export const firstRadioId = (field: string) => `${field}_1`;

function ratingGroup(field: string, label: string, chosen: string | null | undefined, errors: FieldError[]): Markup {
  const errorField = firstRadioId(field);
  const options: [string, string][] = [...[1, 2, 3, 4].map((g): [string, string] => [String(g), FEEDBACK_RATING_LABELS[g]!]), [CANNOT_SAY, 'Cannot say']];
  return html`<fieldset class="radio ${errors.some((e) => e.field === errorField) ? 'field-error' : ''}" ${describedBy(errors, errorField)}>
    <legend>${label}</legend>
    ${fieldError(errors, errorField)}
    ${options.map(
      ([value, words], i) =>
        html`<span
          ><input
            type="radio"
            id="${value === CANNOT_SAY ? `${field}_cannot_say` : `${field}_${value}`}"
            name="${field}"
            value="${value}"
            ${i === 0 ? html`required` : ''}
            ${chosen === value ? html`checked` : ''}
          /><label for="${value === CANNOT_SAY ? `${field}_cannot_say` : `${field}_${value}`}">${words}</label></span
        >`,
    )}
  </fieldset>`;
}

/** The pro forma: one rating per question, comments, and who is answering. */
export function feedbackForm(
  args: { formToken: string; schoolName: string; partnerName: string },
  typed: FeedbackTyped | null,
  errors: FieldError[] = [],
): string {
  const title = `Feedback on your school improvement partner: ${args.schoolName}`;
  const fieldClass = (name: string) => (errors.some((e) => e.field === name) ? 'field-error' : '');
  return page(
    title,
    html`${errorSummary(errors)}
      <h1>${title}</h1>
      <p>
        Please tell us how ${args.partnerName} has worked with your school. Your answers go to the council's senior advisers, who use them to support and
        develop partners.
      </p>
      <form method="post" action="" novalidate>
        <input type="hidden" name="form_token" value="${args.formToken}" />
        ${FEEDBACK_RATINGS.map((r) => ratingGroup(r.field, r.label, typed?.ratings[r.field], errors))}
        <div class="${fieldClass('comments')}">
          <label for="comments">Comments (optional)</label>
          <div class="hint" id="comments-hint">What has worked well, and what could be better.</div>
          ${fieldError(errors, 'comments')}
          <textarea id="comments" name="comments" maxlength="${FEEDBACK_COMMENTS_MAX_LENGTH}" ${describedBy(errors, 'comments', 'comments-hint')}>
${typed?.comments ?? ''}</textarea>
        </div>
        <div class="${fieldClass('respondent')}">
          <label for="respondent">Your name and role</label>
          ${fieldError(errors, 'respondent')}
          <input
            type="text"
            id="respondent"
            name="respondent"
            maxlength="${FEEDBACK_RESPONDENT_MAX_LENGTH}"
            required
            autocomplete="name"
            value="${typed?.respondent ?? ''}"
            ${describedBy(errors, 'respondent')}
          />
        </div>
        <p><button type="submit" id="send">Send my feedback</button></p>
      </form>`,
    { errors: errors.length > 0 },
  );
}

/** Reads the posted form: the answers, or the problems to show with it. */
export function readFeedbackForm(
  body: Record<string, unknown>,
  text: (value: unknown) => string | null,
): { typed: FeedbackTyped; answers: HeadteacherFeedbackAnswers; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const typed: FeedbackTyped = {
    ratings: Object.fromEntries(FEEDBACK_RATINGS.map((r) => [r.field, typeof body[r.field] === 'string' ? (body[r.field] as string) : null])),
    comments: text(body.comments),
    respondent: text(body.respondent) ?? '',
  };
  const ratings: HeadteacherFeedbackAnswers['ratings'] = {};
  for (const r of FEEDBACK_RATINGS) {
    const value = typed.ratings[r.field];
    if (!value || !/^[0-4]$/.test(value)) {
      errors.push({ field: firstRadioId(r.field), text: `${r.label}: choose a rating, or "Cannot say".` });
      typed.ratings[r.field] = null;
    } else ratings[r.key] = value === CANNOT_SAY ? null : Number(value);
  }
  if (typed.comments && typed.comments.length > FEEDBACK_COMMENTS_MAX_LENGTH) {
    errors.push({
      field: 'comments',
      text: `Your comments are longer than ${FEEDBACK_COMMENTS_MAX_LENGTH} characters (${typed.comments.length}): please shorten them.`,
    });
  }
  if (!typed.respondent) errors.push({ field: 'respondent', text: 'Give your name and role.' });
  else if (typed.respondent.length > FEEDBACK_RESPONDENT_MAX_LENGTH) {
    errors.push({ field: 'respondent', text: `Your name and role is longer than ${FEEDBACK_RESPONDENT_MAX_LENGTH} characters: please shorten it.` });
  }
  return { typed, answers: { ratings, comments: typed.comments, respondent: typed.respondent }, errors };
}
