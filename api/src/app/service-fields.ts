import { ServiceRole } from '../platform/auth/principal.js';
import type { ServiceFieldPolicy, ServiceFieldRule } from '../platform/graphql/service-fields.plugin.js';

/**
 * What other council systems (services) may read, field by field: the one definition
 * (issue 20; documented for councils in docs/api.md). Every field of every output type in
 * schema/schema.graphql has a line here — api/test/service-fields.test.ts fails on a field
 * without one, so a new field is a decision, not an accident — and a field missing at run
 * time is refused (platform/graphql/service-fields.plugin.ts).
 *
 * What is personal contact data (Contacts.Read.All): email addresses of anyone; the names of
 * people whose names are not published — attendees, note recipients, the people links were
 * sent to, an email's addressee, the organiser of an appointment. A headteacher's and a chair
 * of governors' names are published in the national register (Get Information about Schools)
 * and are allowed; their email addresses are not. The school's section (its self-evaluation,
 * SchoolSections.Read.All) is the school's own words before the note is agreed; the circulated
 * note's school view (Judgement.schoolGrade) is part of the final record and is allowed.
 * Risk categories keep their own role (RiskCategories.Read.All), also checked per record.
 * Services never write: every mutation, and the queries that only serve a person's work
 * (their own profile, a booking's preview, moderation), are denied — but for their own webhooks (below).
 */
const rules = new Map<string, ServiceFieldRule>();

function add(rule: ServiceFieldRule, type: string, fields: string): void {
  for (const field of fields.split(/\s+/).filter(Boolean)) {
    const key = `${type}.${field}`;
    if (rules.has(key)) throw new Error(`${key} has two rules in app/service-fields.ts`);
    rules.set(key, rule);
  }
}
const allow = (type: string, fields: string) => add('allow', type, fields);
const deny = (type: string, fields: string) => add('deny', type, fields);
const contacts = (type: string, fields: string) => add({ grant: ServiceRole.CONTACTS }, type, fields);
const sections = (type: string, fields: string) => add({ grant: ServiceRole.SCHOOL_SECTIONS }, type, fields);
const riskCategories = (type: string, fields: string) => add({ grant: ServiceRole.RISK_CATEGORIES }, type, fields);

// The entry points
allow(
  'Query',
  `agendaTemplates allocationUsageReport councilClosureDays judgementAgreementReport note noteTimelinessReport overdueNotes partner
   partners proportionWords school schools targetsReport termCalendar visit visitForAppointment visitPatternReport visits`,
);
deny('Query', 'me bookingWarnings disputedNotes');
deny(
  'Mutation',
  `addCouncilClosureDays allocatePartner bookVisit cancelVisit circulateNote completeVisit correctNote moderateNote recordHeadteacherResponse
   removeCouncilClosureDays rescheduleVisit retryEmail revokeAccessLink sendSchoolSectionLink setAgenda setAgendaTemplate shareNote startNote
   updateNote upsertTermCalendar`,
);
deny('Mutation', 'assessRiskCategory');

// Schools: the register's details; contacts' emails only with the grant
allow(
  'School',
  `address allocations chairOfGovernors closedOn createdAt dfeNumber district establishmentNumber establishmentTypeName headteacher id laCode
   lastOfstedDate lastOfstedGrade name openedOn phase predecessors status successors targets type updatedAt urn`,
);
riskCategories('School', 'currentRiskCategory riskCategoryHistory');
// The Outlook pane's school card (issue 22): this year's allocations, the last visit, the open recommendations of circulated
// notes (what a service may read already through visits and notes); the risk category it may see with its role, as above.
allow('School', 'currentAllocations lastVisit openRecommendations recordsVisible');
riskCategories('School', 'visibleRiskCategory');
allow('OpenRecommendations', 'nodes totalCount');
riskCategories('RiskCategoryAssessment', 'assessedBy category createdAt effectiveFrom id rationale school updatedAt');
allow('Address', 'county line1 line2 oneLine postcode town');
allow('Contact', 'name');
contacts('Contact', 'email');
allow('SchoolSuccession', 'createdAt effectiveOn id kind predecessor sponsor successor updatedAt');
allow('SchoolConnection', 'edges nodes pageInfo totalCount');
allow('SchoolEdge', 'cursor node');

// Partners and allocations: a council officer's name and role, not their address
allow('Partner', 'active allocations createdAt employer id mentor name role updatedAt');
contacts('Partner', 'email');
allow('PartnerConnection', 'edges nodes pageInfo totalCount');
allow('PartnerEdge', 'cursor node');
allow('Allocation', 'academicYear createdAt days daysRemaining daysSpent id partner reason school updatedAt');

// Visits
allow(
  'Visit',
  `accessLinks agenda agendaDocxUrl agendaHtml appointment appointmentCancelledAt attendees cancellationReason cancelledAt completedAt createdAt emails endsAt
   expectsNote icsUrl id inSchoolDays leadPartner location note noteCirculationDueOn noteDraftDueOn outOfSchoolDays school startsAt status
   type updatedAt version warnings`,
);
sections('Visit', 'schoolSection');
allow('VisitAttendee', 'createdAt id partner position role updatedAt');
contacts('VisitAttendee', 'email name');
allow('AppointmentLink', 'eventId icalUid itemId seriesMasterId');
contacts('AppointmentLink', 'organiserEmail');
allow('AgendaItem', 'createdAt detail id minutes ownerRole position title updatedAt');
allow('AgendaTemplate', 'createdAt description fixed id items name source updatedAt version visitType');
allow('AgendaTemplateItem', 'detail minutes ownerRole title');
allow('VisitWarning', 'code message');
allow('VisitConnection', 'edges nodes pageInfo totalCount');
allow('VisitEdge', 'cursor node');
allow('PageInfo', 'endCursor hasNextPage hasPreviousPage startCursor');

// The school's section: the school's own words and grades, with the grant
sections('SchoolSection', 'completedBy createdAt evidenceToShow id selfEvaluation submittedAt updatedAt wantsFromVisit');
sections('SchoolSelfEvaluation', 'area evidence grade');

// Links and emails: that they went and when; to whom only with the grant
allow('AccessLink', 'createdAt createdBy expiresAt id lastOpenedAt purpose revokedAt updatedAt usedAt');
contacts('AccessLink', 'recipientEmail recipientName');
allow('OutboundEmail', 'attachmentName attempts createdAt id nextAttemptAt noteRevision recipientRole sentAt status subject updatedAt');
// an SMTP server's error names the address it refused
contacts('OutboundEmail', 'lastError toAddress toName');

// Notes of visit (a service sees a note only once circulated: notes/note.access.ts)
allow(
  'NoteOfVisit',
  `author circulatedAt circulationDueOn confirmedNotNames correctionReason createdAt deliveries distribution docxUrl draftDueOn findings
   firstCirculatedAt firstSharedAt headteacherAgreed headteacherComment headteacherRespondedAt id judgements moderatedAt moderatedBy
   moderationComment moderationDecision overdue purpose recommendationLimitOverrideReason recommendations responses reviews revision revisions
   sharedAt status summary targets updatedAt version visit`,
);
allow('NoteRecipient', 'createdAt id position role updatedAt');
contacts('NoteRecipient', 'email name');
allow('NoteRevision', 'circulatedAt circulatedBy content correctionReason createdAt id revision updatedAt');
allow('NoteTarget', 'createdAt id keyStage measure note position school updatedAt value year');
allow('Finding', 'area createdAt evidenceBasis id position text updatedAt');
allow('Judgement', 'area commentary createdAt disagreementReason evidenceBasis headteacherComment id insufficientEvidence partnerGrade schoolGrade updatedAt');
allow('JudgementComment', 'area comment');
allow('HeadteacherResponse', 'agreed comment createdAt id judgementComments reason recordedBy recordedVia respondedAt respondent revision updatedAt');
allow('Recommendation', 'action createdAt dueOn id ownerInitials ownerRole position status successMeasure updatedAt');
allow('RecommendationReview', 'comment createdAt id progress recommendation updatedAt');
// The school's page (issue 22): what the school's circulated notes say over time, as the notes themselves
allow('School', 'judgementHistory recommendations');
allow('JudgementHistoryPoint', 'area insufficientEvidence noteId partnerGrade schoolGrade visitDate visitId visitType');
allow('SchoolRecommendation', 'action dueOn id noteId noteStatus ownerInitials ownerRole position reviews status successMeasure visitDate visitId');
allow('RecommendationProgressEntry', 'comment noteId noteStatus progress visitDate visitId');

// Calendars
allow('TermCalendar', 'academicYear createdAt holidays id terms updatedAt version');
allow('Term', 'endsOn name season startsOn');
allow('Holiday', 'endsOn name startsOn');
allow('CouncilClosureDay', 'createdAt date id reason updatedAt');
allow('CouncilClosureDaysChange', 'days rescheduledNotes');
// England and Wales bank holidays, as GOV.UK publishes them (issue 22: a partner's term as a calendar)
allow('Query', 'bankHolidays');
allow('BankHoliday', 'date name provisional');

// Reports (for managers and council systems)
allow('JudgementAgreementRow', 'agreed agreementRate area judged partnerGradeBetter partnerGradeWorse riskCategory');
allow('NoteTimelinessRow', 'late onTime partner stillOpen term');
allow('OverdueNotesOfPartner', 'lateCirculations lateDrafts notes partner');
allow('VisitPatternRow', 'cancelled expected meetsPattern school term visits');

// Records management (retention, disposal, subject access, anonymisation): a manager's work, never a service's
deny('Query', 'disposalLog retentionSchedule');
deny('Mutation', 'anonymisePerson disposeExpiredRecords exportSubjectAccess');
deny('AnonymisationResult', 'changed pseudonym pseudonymEmail remaining');
deny('DisposalLog', 'count createdAt cutoff disposedAt id idsDigest recordKind rule runBy runId updatedAt');
deny('DisposalRun', 'disposed ran runId');
deny('RetentionScheduleEntry', 'kind period table trigger');
deny('SubjectAccessExportResult', 'document tables total');
deny('TableCount', 'count table');

// Quality assurance (issue 22): the mentor's review of a first note, samples and evaluations of notes on the pro forma.
// It is the council's performance management of its partners, not the record of a school: never a service's.
deny('Query', 'mentorReview noteEvaluations noteQualityReport noteSamples notesAwaitingMyReview myNoteEvaluations qualityProForma');
deny('Mutation', 'commentOnFirstNote drawNoteSample evaluateSampledNote releaseNote requestMentorReview saveQualityProForma');
deny('NoteOfVisit', 'mentorReview');
deny('MentorReview', 'comments mentor releasedAt releasedBy requestedAt required status');
deny('MentorComment', 'author comment createdAt id kind updatedAt');
deny('QualityProForma', 'active createdAt criteria id name saved scale updatedAt');
deny('ProFormaCriterion', 'guidance key label');
deny('ProFormaScaleLevel', 'label score');
deny('NoteSample', 'academicYear createdAt drawnAt drawnBy id members perPartner seed skippedSampledPartners updatedAt');
deny('NoteSampleMember', 'createdAt evaluation id note partner position updatedAt visitType');
deny('NoteEvaluation', 'createdAt criteria givenAt givenBy id note partner proFormaName scale scores summary updatedAt');
deny('EvaluationScore', 'comment criterion criterionKey score scoreLabel');
deny('PartnerNoteQuality', 'evaluationsGiven feedbackThisYear lastFeedbackAt notesCirculated notesSampled partner');
// Quality assurance: shadowing and headteachers' feedback on partners are the council's staff appraisal, never a service's
deny('Query', 'headteacherFeedback shadowingDue shadowings');
deny('Mutation', 'giveShadowingFeedback requestHeadteacherFeedback shadowVisit');
deny('Shadowing', 'createdAt feedback feedbackDueOn feedbackGivenAt givenBy id late shadowedPartner shadower state updatedAt version visit');
deny('ShadowingDueRow', 'feedbackLate feedbackOutstanding lastShadowedOn nextBookedOn nextDueBy overdue partner');
deny(
  'HeadteacherFeedback',
  'challengeAndSupport comments communication createdAt id knowledgeOfSchool partner qualityOfNotes receivedAt respondent school updatedAt',
);
// Notifications (issue 22): a person's own settings, never a service's
deny('Query', 'myNotificationPreferences');

// A request's cost and what is left of the client's budget (platform/limits): every client's own, services included.
allow('Query', 'rateLimit');
allow('RateLimit', 'cost limit remaining resetAt');
deny('Mutation', 'setNotificationPreference');
deny('NotificationPreferenceView', 'channel chosen kind label');
// Following changes (issue 23): what was deleted, closed or cancelled, as ids, kinds and instants
allow('Query', 'tombstones');
allow('TombstoneConnection', 'edges nodes pageInfo totalCount');
allow('TombstoneEdge', 'cursor node');
allow('Tombstone', 'at id kind type');

// Webhooks (issue 23): the one exception to "services only read": a council system registers, changes, replays and deletes
// its own webhooks (webhooks/webhook.access.ts: only its own; another's does not exist to it). What a payload carries is this
// policy itself, applied with the subscription's grants (webhooks/webhook-payload.ts).
allow('Query', 'webhookDeliveries webhookSubscriptions');
allow('Mutation', 'deleteWebhook registerWebhook replayWebhookDeliveries replayWebhookDelivery rotateWebhookSecret updateWebhook');
allow('WebhookSubscription', 'active createdAt description eventTypes grants id owner previousSecretExpiresAt updatedAt url version');
allow('WebhookRegistration', 'secret subscription');
// A delivery's payload was cut to the subscriber's grants when it was made, and only its subscriber (or a manager) reads it.
allow('WebhookDelivery', 'attemptCount attempts createdAt deliveredAt eventType id nextAttemptAt occurredAt payload status subscriptionId updatedAt webhookId');
allow('WebhookAttempt', 'attemptedAt createdAt durationMs error httpStatus id updatedAt');
allow('WebhookDeliveryConnection', 'edges nodes pageInfo totalCount');
allow('WebhookDeliveryEdge', 'cursor node');

export const SERVICE_FIELDS: ServiceFieldPolicy = rules;
