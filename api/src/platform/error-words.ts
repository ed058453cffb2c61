/**
 * The words errors.ts puts to input paths and database constraints, so an error says what to do in
 * the form's terms ("Recommendation 1, due date"), not the schema's ("input.recommendations[0].dueOn").
 */

/** A list's items, as a form numbers them: `recommendations.0` is "Recommendation 1". */
const ITEM_OF_LIST: Record<string, string> = {
  judgements: 'Judgement',
  findings: 'Finding',
  recommendations: 'Recommendation',
  reviews: 'Review',
  targets: 'Target',
  distribution: 'Recipient',
  attendees: 'Attendee',
  items: 'Agenda item',
  terms: 'Term',
  holidays: 'Holiday',
  judgementComments: 'Comment',
  notNames: 'Phrase',
  remove: 'Item to remove',
};

/** Fields whose name does not read as words once split ("dueOn" → "due on"). */
const FIELD_WORDS: Record<string, string> = {
  dueOn: 'due date',
  schoolGrade: "school's grade",
  partnerGrade: "partner's grade",
  disagreementReason: 'reason the grades differ',
  insufficientEvidence: 'insufficient evidence',
  ownerInitials: 'owner initials',
  ownerRole: 'owner role',
  successMeasure: 'success measure',
  keyStage: 'key stage',
  startsAt: 'start',
  endsAt: 'end',
  startsOn: 'first day',
  endsOn: 'last day',
  inSchoolDays: 'days in school',
  outOfSchoolDays: 'days out of school',
  organiserEmail: "organiser's email",
  icalUid: 'iCal UID',
  itemId: 'Outlook item id',
  expectedVersion: 'version',
  allowMoreRecommendationsBecause: 'reason for allowing more recommendations',
  recommendationId: 'recommendation',
  leadPartnerId: 'lead partner',
  partnerId: 'partner',
  schoolId: 'school',
  visitId: 'visit',
  academicYear: 'academic year',
  useAgendaTemplate: 'agenda template choice',
  recipientEmail: "recipient's email",
  items: 'agenda items',
  distribution: 'recipients',
  remove: 'items to remove',
  notNames: 'phrases confirmed as not names',
  judgementComments: 'comments on headings',
};

/** "ownerInitials" → "owner initials". */
export function fieldWords(name: string): string {
  return (
    FIELD_WORDS[name] ??
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/_/g, ' ')
      .toLowerCase()
  );
}

/** "due date" → "Due date"; "iCal UID" stays as it is. */
export const capitalise = (text: string) => (!text || /^[a-z]+[A-Z]/.test(text) ? text : text[0]!.toUpperCase() + text.slice(1));

/** "input.recommendations[0].dueOn" or "recommendations.0.dueOn" → ["recommendations", "0", "dueOn"], without "input". */
export function pathSegments(path: string): string[] {
  const segments = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
  return segments[0] === 'input' && segments.length > 1 ? segments.slice(1) : segments;
}

/** The dotted form clients map to their form controls: "recommendations.0.dueOn" (no "input."). */
export function dottedField(path: string): string {
  return pathSegments(path).join('.');
}

/**
 * Where in the form a path points, in words: "Recommendation 1, due date", "Appointment, organiser's
 * email", "Summary". `withLeaf: false` leaves out the last field's name ("Recommendation 1").
 */
export function placeWords(path: string, { withLeaf = true } = {}): string {
  const segments = pathSegments(path);
  const parts: string[] = [];
  segments.forEach((segment, i) => {
    const next = segments[i + 1];
    if (/^\d+$/.test(segment)) return; // numbered with its list, below
    if (next !== undefined && /^\d+$/.test(next)) {
      const item = ITEM_OF_LIST[segment] ?? capitalise(fieldWords(segment).replace(/s$/, ''));
      parts.push(`${item} ${Number(next) + 1}`);
    } else if (i < segments.length - 1 || withLeaf) {
      parts.push(fieldWords(segment));
    }
  });
  return capitalise(parts.join(', '));
}

/** A problem as a clause ending in a full stop; capitalised where it starts a message (capitalise). */
const sentence = (text: string) => {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

/**
 * One of class-validator's problems in plain words. Messages the inputs set themselves ("owner
 * initials are written like "J.S."") are kept; class-validator's defaults ("ownerRole must be
 * shorter than or equal to 100 characters") are said again in the form's words. Not capitalised:
 * it may follow the place ("Recommendation 1: owner initials…").
 */
export function problemWords(property: string, message: string): string {
  const words = fieldWords(property);
  if (!message.startsWith(`${property} `) && !message.startsWith('each value in ')) return sentence(message);
  const rest = message.replace(/^each value in /, '').slice(property.length + 1);
  let match: RegExpExecArray | null;
  if ((match = /^must be longer than or equal to (\d+) characters?$/.exec(rest))) {
    return sentence(match[1] === '1' ? `${words} must not be empty` : `${words} needs at least ${match[1]} characters`);
  }
  if ((match = /^must be shorter than or equal to (\d+) characters?$/.exec(rest))) return sentence(`${words} is at most ${match[1]} characters: shorten it`);
  if ((match = /^must not be greater than (-?[\d.]+)$/.exec(rest))) return sentence(`${words} is at most ${match[1]}`);
  if ((match = /^must not be less than (-?[\d.]+)$/.exec(rest))) return sentence(`${words} is at least ${match[1]}`);
  if ((match = /^must contain no more than (\d+) elements?$/.exec(rest))) return sentence(`there can be at most ${match[1]} ${words}`);
  if ((match = /^must contain at least (\d+) elements?$/.exec(rest))) return sentence(`there must be at least ${match[1]} ${words}`);
  if (/^must be an email$/.test(rest)) return sentence(`${words} must be an email address, e.g. "name@school.example"`);
  if (/^must match .* regular expression$/.test(rest)) return sentence(`${words} is not written the expected way`);
  if (/^must be a UUID$/.test(rest)) return sentence(`${words} is not a valid id`);
  return sentence(`${words} ${rest}`);
}

/** What a database constraint means for the person who tripped it, by the constraint's name. */
export interface ConstraintWords {
  code: 'BAD_USER_INPUT' | 'CONFLICT';
  message: string;
  field?: string;
}

const RELOAD = 'Reload and try again: someone else changed the same record at the same moment.';
const samePosition = { code: 'CONFLICT', message: `Someone else saved this list at the same moment. ${RELOAD}` } as const;

/** The schema's named constraints a request can trip, in words that say what to do. */
export const CONSTRAINTS: Record<string, ConstraintWords> = {
  recommendation_review_recommendation_id_foreign: {
    code: 'CONFLICT',
    message:
      'A later note of visit reviewed this recommendation, so it cannot be removed: keep it (you may reword it or change its due date), and record what became of it in the later note.',
    field: 'recommendations',
  },
  recommendation_review_note_id_recommendation_id_unique: {
    code: 'BAD_USER_INPUT',
    message: 'Each carried recommendation is reviewed once in a note: remove the second review of the same recommendation.',
    field: 'reviews',
  },
  judgement_note_id_area_unique: {
    code: 'BAD_USER_INPUT',
    message: 'Each heading is judged once in a note: remove the second judgement of the same heading.',
    field: 'judgements',
  },
  judgement_school_grade_range: {
    code: 'BAD_USER_INPUT',
    message: "Grades run from 1 (outstanding) to 4 (inadequate): correct the school's grade.",
    field: 'judgements',
  },
  judgement_partner_grade_range: {
    code: 'BAD_USER_INPUT',
    message: "Grades run from 1 (outstanding) to 4 (inadequate): correct the partner's grade.",
    field: 'judgements',
  },
  note_of_visit_visit_id_unique: { code: 'CONFLICT', message: 'This visit already has a note of visit: open that note rather than starting another.' },
  note_of_visit_visit_id_foreign: { code: 'CONFLICT', message: 'This visit has a note of visit, which is kept: cancel the visit rather than removing it.' },
  note_revision_note_id_revision_unique: { code: 'CONFLICT', message: `This note was circulated by someone else at the same moment. ${RELOAD}` },
  note_revision_note_id_foreign: { code: 'CONFLICT', message: 'This note has circulated revisions, which are kept for the record: it cannot be removed.' },
  recommendation_note_id_position_unique: samePosition,
  finding_note_id_position_unique: samePosition,
  note_target_note_id_position_unique: samePosition,
  note_recipient_note_id_position_unique: samePosition,
  agenda_item_visit_id_position_unique: samePosition,
  visit_attendee_visit_id_position_unique: samePosition,
  visit_appointment_item_id_unique: {
    code: 'CONFLICT',
    message: 'This Outlook appointment is already booked as another visit: open that visit, or book from a new appointment.',
    field: 'appointment.itemId',
  },
  visit_appointment_ical_uid_unique: {
    code: 'CONFLICT',
    message: 'This Outlook appointment is already booked as another visit: open that visit, or book from a new appointment.',
    field: 'appointment.icalUid',
  },
  visit_ends_after_start: { code: 'BAD_USER_INPUT', message: 'A visit ends after it starts: check the end time.', field: 'endsAt' },
  visit_school_id_foreign: { code: 'BAD_USER_INPUT', message: 'That school is not on the register (any more): choose the school again.', field: 'schoolId' },
  visit_lead_partner_id_foreign: {
    code: 'BAD_USER_INPUT',
    message: 'That partner is not known (any more): choose the lead partner again.',
    field: 'leadPartnerId',
  },
  visit_attendee_partner_id_foreign: {
    code: 'BAD_USER_INPUT',
    message: 'That partner is not known (any more): choose the attendee again.',
    field: 'attendees',
  },
  allocation_school_id_partner_id_academic_year_unique: {
    code: 'CONFLICT',
    message: 'This partner is already allocated to this school for that academic year: change the days of that allocation instead.',
  },
  term_calendar_academic_year_unique: {
    code: 'CONFLICT',
    message: 'That academic year already has a term calendar: load it and change it rather than adding another.',
    field: 'academicYear',
  },
  agenda_template_visit_type_unique: {
    code: 'CONFLICT',
    message: 'That visit type already has an agenda template: change it rather than adding another.',
    field: 'visitType',
  },
  partner_email_unique: {
    code: 'CONFLICT',
    message: 'Another partner already has this email address: check it, or edit that partner instead.',
    field: 'email',
  },
  school_urn_unique: { code: 'CONFLICT', message: 'Another school already has this URN: check it, or edit that school instead.', field: 'urn' },
  council_closure_day_date_unique: {
    code: 'CONFLICT',
    message: 'That day is already a council closure day: change its reason rather than adding it again.',
    field: 'date',
  },
  school_section_visit_id_unique: { code: 'CONFLICT', message: `The school's section of this visit was started by someone else at the same moment. ${RELOAD}` },
};

/** "a visit", "an allocation". */
export const aOrAn = (words: string) => `${/^[aeiou]/i.test(words) ? 'an' : 'a'} ${words}`;

/** "note_of_visit" → "note of visit"; the tables' names are the records' names. */
export const tableWords = (table: string | undefined) => (table ? table.replace(/_/g, ' ') : 'record');
/** "due_on" → "due on"; "school_id" → "school". */
export const columnWords = (column: string | undefined) => (column ? column.replace(/_id$/, '').replace(/_/g, ' ') : undefined);
