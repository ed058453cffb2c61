/**
 * Agenda templates for each visit type, the inspection judgement headings, and the
 * agreed words for proportions.
 *
 * Sources: seed 000 (Norfolk MI sheet 231/11, Improvement Professional visit agenda
 * and target setting), seed 001 (Norfolk MI sheet, two-section visit record), seed 002
 * (Norfolk Link Adviser programme, secondary: four visits a year) and seed 004 (Kent
 * Improvement Partner Handbook 2009-10). Each template's sourceNote says which.
 *
 * Item titles are short; the substance, close to the seeds' own wording, is in detail.
 *
 * Minutes: the seeds give only visit lengths, not item timings (a Norfolk visit takes
 * "up to 5 hours"; a Kent half-day visit "approximately 3.5 to 4 hours"; a Kent
 * familiarisation visit is a "two hour visit to the school"; a round table meeting,
 * a joint evaluation meeting and attendance at inspection feedback are each 0.5 day
 * in school; advice to governors on headteacher performance management is 0.25 day
 * in school). Every item's minutes value below is therefore ESTIMATED to fit those
 * visit lengths; none is given in the seeds. The round table agenda items are
 * verbatim but their timings are estimated too.
 *
 * The joint evaluation meeting and 'other' templates are not given as agendas in the
 * seeds: they are built from what seed 004 says about the purpose of those meetings
 * and from the general note-of-visit rules, and say so in their sourceNote.
 */

export type VisitTypeCode =
  | 'familiarisation'
  | 'autumn'
  | 'spring'
  | 'summer'
  | 'headteacher_performance_management'
  | 'round_table'
  | 'joint_evaluation'
  | 'inspection_feedback'
  | 'other';

export interface AgendaTemplateItemSeed {
  /** <= 80 characters */
  title: string;
  detail: string | null;
  ownerRole: 'partner' | 'headteacher' | 'governors' | 'school' | 'council' | 'all';
  minutes: number | null;
}

export interface AgendaTemplateSeed {
  visitType: VisitTypeCode;
  name: string;
  description: string;
  /** true when the agenda must not be edited (round table meeting) */
  fixed: boolean;
  items: AgendaTemplateItemSeed[];
  /** which seed and section it came from */
  sourceNote: string;
}

export const AGENDA_TEMPLATES: readonly AgendaTemplateSeed[] = [
  {
    visitType: 'familiarisation',
    name: 'Familiarisation visit',
    description:
      'For a partner new to the school, or on the appointment of a new headteacher, in term 1. Before the visit: read the school ' +
      "website, the previous partner's notes of visit for the last two years and the headlines from current and last year's " +
      'RAISEonline data; phone the previous partner and ask for their file. A two-hour visit to the school.',
    fixed: false,
    items: [
      {
        title: 'Introductions and working relationship',
        detail:
          'Start building the personal relationship, trust and understanding of the role, expectations over the year, and the ' +
          'time allocation on and off site.',
        ownerRole: 'partner',
        minutes: 20,
      },
      {
        title: 'Meet the leadership group and tour the school with pupils',
        detail: 'Try to meet other members of the leadership group; tour of the school with pupils.',
        ownerRole: 'school',
        minutes: 30,
      },
      {
        title: 'Priorities emerging from the data',
        detail:
          'Discuss priorities emerging from the data; show that you have prepared and know something of the school, so the ' +
          'headteacher does not have to repeat detail.',
        ownerRole: 'partner',
        minutes: 30,
      },
      {
        title: 'Key documents',
        detail:
          "Obtain a hard or electronic copy of the current self-evaluation (SEF), the improvement plan and the last headteacher's " +
          'report to the governing body.',
        ownerRole: 'headteacher',
        minutes: 10,
      },
      {
        title: 'Visit dates for the whole year',
        detail: "Make dates for the whole year's visits, as diaries fill early.",
        ownerRole: 'all',
        minutes: 10,
      },
      {
        title: 'Headteacher performance management arrangements',
        detail:
          "Agree timing for the headteacher's performance management and ask for the names and email addresses of the three " +
          "governors on the panel (the panel should hold last year's objectives).",
        ownerRole: 'headteacher',
        minutes: 10,
      },
      {
        title: 'Inspection notification and support',
        detail:
          'Ask the headteacher to make contact when an inspection is notified (and to email the pre-inspection briefing) so the ' +
          'partner can advise on the evidence base and support at feedback.',
        ownerRole: 'headteacher',
        minutes: 10,
      },
    ],
    sourceNote:
      'Seed 004 section 8 (Getting started and familiarisation visit); visit length and timing from seed 004 section 3 (annual ' + 'pattern of school visits).',
  },
  {
    visitType: 'autumn',
    name: 'Autumn visit: data analysis and target setting',
    description:
      "Analysis of pupil performance data, review of the school's self-evaluation judgements against the inspection headings, and " +
      'agreement of targets (Key Stage 2 and 4 measures) to be recorded in the note of visit. A governor must be invited (essential ' +
      'for this visit). Ask the school beforehand for its self-evaluation or the sections relevant to this visit.',
    fixed: false,
    items: [
      {
        title: 'Progress on the recommendations of the last note of visit',
        detail: 'Review any actions recorded on the summer note of visit and identify progress made.',
        ownerRole: 'partner',
        minutes: 15,
      },
      {
        title: 'Analysis of pupil performance data',
        detail:
          "By reference to RAISEonline and FFT data, discuss the school's and the partner's analysis of pupil performance, including " +
          "last year's targets, and agree strengths and areas for development with the headteacher and chair of governors.",
        ownerRole: 'all',
        minutes: 40,
      },
      {
        title: 'Progress and attainment of groups of pupils',
        detail: 'Test hypotheses about the progress and attainment of groups of pupils for a range of measures and subjects.',
        ownerRole: 'partner',
        minutes: 25,
      },
      {
        title: "Impact of actions and interventions on last year's results",
        detail: "Briefly review the impact of actions and intervention to support last year's results.",
        ownerRole: 'headteacher',
        minutes: 15,
      },
      {
        title: 'Self-evaluation judgements against the inspection headings',
        detail:
          "Review the school's summary judgements and evidence for achievement, quality of teaching, leadership and management, " +
          'behaviour and safety, and overall effectiveness, and agree a judgement for each. Record any disagreement with the ' +
          "school's evidence or judgement, and any lack of evidence to corroborate it.",
        ownerRole: 'all',
        minutes: 60,
      },
      {
        title: 'Statutory compliance: safeguarding, equalities and diversity',
        detail: 'Explore statutory compliance in relation to safeguarding, equalities and diversity.',
        ownerRole: 'partner',
        minutes: 20,
      },
      {
        title: 'Target-setting process',
        detail:
          'Discuss how the school arrives at challenging targets (the council recommends FFT data), including targets to improve ' +
          'attendance and for pupils with FSM and SEN who are unlikely to reach threshold levels.',
        ownerRole: 'headteacher',
        minutes: 20,
      },
      {
        title: 'Agree targets',
        detail:
          'Agree targets with the headteacher and chair of governors and record them in the note: Key Stage 2 % level 4+ in English ' +
          'and mathematics, % making 2 levels of progress in English and in mathematics; Key Stage 4 % 5 A*-C including English and ' +
          'mathematics, % making expected progress in English and in mathematics. Targets go to the council after governors agree them.',
        ownerRole: 'all',
        minutes: 20,
      },
      {
        title: 'Level of council support and school priorities',
        detail: "Agree the level of local authority support against the council's criteria, and the school's priorities for the year.",
        ownerRole: 'all',
        minutes: 15,
      },
      {
        title: 'School agenda items and support needs',
        detail: 'Items raised by the school, including support needs; additional support, including brokerage, can be purchased.',
        ownerRole: 'school',
        minutes: 15,
      },
      {
        title: 'Recommendations and next steps',
        detail: 'Agree few (rarely more than 4) SMART recommendations, each with an owner and a due date.',
        ownerRole: 'partner',
        minutes: 15,
      },
    ],
    sourceNote:
      'Seed 002 (Visit 1, Data Analysis and Target Setting, autumn term); seed 000 (MI sheet 231/11: agenda of the autumn ' +
      'Improvement Professional visit, the five judgement headings, safeguarding and equalities, targets to be collected); seed 004 ' +
      'section 10 (Autumn note of visit) and section 9 (recommendations).',
  },
  {
    visitType: 'spring',
    name: 'Spring visit: self-evaluation and quality of provision',
    description:
      "Validates the school's self-evaluation and explores how the school evaluates the quality of its provision, including the " +
      'monitoring of teaching and learning. The school sends its self-evaluation (SEF) two weeks before the visit, with evidence on ' +
      'areas the partner requests.',
    fixed: false,
    items: [
      {
        title: 'Progress since the autumn visit',
        detail:
          'Review actions recorded on the autumn note of visit and identify progress made; where a brokering plan is in place, ' +
          "review progress against its objectives and the impact of external support; review progress towards this year's targets, " +
          'including 2 levels of progress.',
        ownerRole: 'partner',
        minutes: 20,
      },
      {
        title: 'Validate self-evaluation procedures',
        detail:
          "Validate the school's self-evaluation procedures and the accuracy of its analysis, and confirm the headteacher's " +
          'awareness of SEF and Ofsted changes.',
        ownerRole: 'partner',
        minutes: 25,
      },
      {
        title: 'Agree self-evaluation grades',
        detail: "Discuss the self-evaluation gradings and agree a grade for each heading as set out in the council's protocol.",
        ownerRole: 'all',
        minutes: 35,
      },
      {
        title: 'Monitoring of teaching and learning',
        detail:
          "Examine the evidence of monitoring (scrutiny of planning, lesson observation and feedback, sampling of pupils' work, " +
          "discussions with pupils), the consistency of leaders' judgements, actions taken as a result, sharing of outstanding " +
          'practice and support for staff whose teaching is not consistently good.',
        ownerRole: 'headteacher',
        minutes: 45,
      },
      {
        title: 'Assessment, curriculum, care, guidance and support',
        detail:
          'How well assessment is used in classrooms; the impact of curriculum projects on learning and progress; how well pupils ' +
          'are guided and supported; provision made off site or by external providers.',
        ownerRole: 'school',
        minutes: 30,
      },
      {
        title: 'Targeted intervention and targeted funding',
        detail:
          'How effective targeted intervention is for pupils at risk of underachievement; where applicable, the effectiveness of the ' +
          "school's use of targeted funding and agreed support for intervention.",
        ownerRole: 'headteacher',
        minutes: 20,
      },
      {
        title: "Governors' self-review",
        detail: "Discuss with the chair of governors the governors' self-review systems.",
        ownerRole: 'governors',
        minutes: 15,
      },
      {
        title: "Monitoring of the headteacher's performance objectives",
        detail: "Verify that governors are monitoring the headteacher's performance management targets.",
        ownerRole: 'governors',
        minutes: 10,
      },
      {
        title: 'Recommendations and next steps',
        detail: 'Agree few (rarely more than 4) SMART recommendations, each with an owner and a due date.',
        ownerRole: 'partner',
        minutes: 15,
      },
    ],
    sourceNote: 'Seed 002 (Visit 2, School Self-Evaluation, spring term); seed 004 section 11 (Spring note of visit) and section 9 ' + '(recommendations).',
  },
  {
    visitType: 'summer',
    name: 'Summer visit: leadership and capacity to improve',
    description:
      "Considers the quality of leadership and management, the school's capacity to improve and its overall effectiveness; " +
      'evaluates the impact of the school improvement plan; leads to the annual report to governors. The school sets the focus ' +
      'of monitoring activities beforehand and sends its self-evaluation and recent headteacher reports to governors.',
    fixed: false,
    items: [
      {
        title: 'Progress since the spring visit',
        detail:
          'Review actions recorded on the spring note of visit; where a brokering or support plan is in place, review progress ' +
          'against its objectives; review progress towards targets and predictions from recent pupil progress tracking.',
        ownerRole: 'partner',
        minutes: 20,
      },
      {
        title: 'Impact of leadership on standards',
        detail:
          'Focus on the impact of actions taken over the year to raise standards, including how leaders embed ambition and drive ' +
          'improvement, and the leadership and management of teaching and learning.',
        ownerRole: 'headteacher',
        minutes: 30,
      },
      {
        title: 'Middle leadership, succession and leadership development',
        detail:
          'Quality of middle and subject leadership and their part in self-evaluation; leadership for vulnerable groups, the ' +
          'Foundation Stage and sixth form; succession planning; leadership CPD during the year.',
        ownerRole: 'headteacher',
        minutes: 30,
      },
      {
        title: 'Governance',
        detail:
          "Mid-year performance management review of the headteacher; the governing body's review of its own effectiveness, its " +
          'monitoring and evaluation, its challenge to leaders, statutory responsibilities and the views of stakeholders.',
        ownerRole: 'governors',
        minutes: 30,
      },
      {
        title: 'Parents, partnerships, equality, safeguarding and community cohesion',
        detail:
          'Engagement with parents and carers; partnerships to promote learning and well-being; equal opportunities and tackling ' +
          'discrimination; safeguarding procedures; community cohesion.',
        ownerRole: 'school',
        minutes: 25,
      },
      {
        title: 'Monitoring activities agreed with the school',
        detail: 'Evaluation activities, confirmed with the school before the visit, to judge the effectiveness of school improvement.',
        ownerRole: 'partner',
        minutes: 30,
      },
      {
        title: 'Capacity to improve and overall effectiveness',
        detail:
          'Can the leadership team bring about the necessary improvements, and does it have the resources and drive to do so? ' +
          'Agree the overall effectiveness judgement.',
        ownerRole: 'all',
        minutes: 30,
      },
      {
        title: 'Annual report to governors',
        detail: "Agree the content of the partner's annual report to governors on the effectiveness of school improvement.",
        ownerRole: 'partner',
        minutes: 10,
      },
      {
        title: 'Recommendations and next steps',
        detail: 'Agree few (rarely more than 4) SMART recommendations, each with an owner and a due date.',
        ownerRole: 'partner',
        minutes: 15,
      },
    ],
    sourceNote:
      'Seed 002 (Visit 3, Challenge, monitoring and support for school improvement, summer term); seed 004 section 13 (Summer ' +
      'note of visit) and section 9 (recommendations).',
  },
  {
    visitType: 'headteacher_performance_management',
    name: 'Advice to governors on headteacher performance management',
    description:
      "The partner advises the governors' panel (at least three governors) on the review of the headteacher's performance and new " +
      'objectives, by 31 December. No note of visit, as this is a matter for governors: a feedback form is left with governors.',
    fixed: false,
    items: [
      {
        title: 'Discussion with the headteacher',
        detail: "Review of previous targets, governors' monitoring, and performance management objectives for the next year.",
        ownerRole: 'headteacher',
        minutes: 30,
      },
      {
        title: 'Discussion with the nominated governors',
        detail:
          'Review of performance objectives for the next year; advice on the achievement of previous targets, drawing on the ' +
          'pupil performance data analysis from the previous visit and the annual report.',
        ownerRole: 'governors',
        minutes: 30,
      },
      {
        title: 'Agree performance objectives for the next year',
        detail:
          'Headteacher and representative governors agree SMART objectives related to school improvement, how governors will ' +
          "monitor and support them, and the headteacher's professional development.",
        ownerRole: 'all',
        minutes: 30,
      },
      {
        title: 'Feedback form left with governors',
        detail: 'No note of visit is written; the partner leaves a feedback form with the governors.',
        ownerRole: 'partner',
        minutes: 10,
      },
    ],
    sourceNote:
      'Seed 002 (Visit 4, Support for Head Teacher Performance Management, autumn term); seed 004 section 3 (timing) and section ' +
      '18 (relationship with the governing body).',
  },
  {
    visitType: 'round_table',
    name: 'Round table meeting',
    description:
      'A seasonal meeting (three a year) in schools receiving intensive or substantial support, to keep support focused on the ' +
      'raising attainment plan and on pupil progress. The partner convenes, chairs and minutes it, and sends the agenda and the ' +
      'last minutes to all invited at least a week in advance. Fixed agenda.',
    fixed: true,
    items: [
      {
        title: 'Minutes of last RTM and matters arising',
        detail: null,
        ownerRole: 'partner',
        minutes: 10,
      },
      {
        title: 'School report on progress against the raising attainment plan',
        detail:
          'What school practice or behaviour has changed since the last RTM? What was the impact of that change? In the light of ' +
          "the latest data, do we need to do anything differently? Are groups on track to meet the plan's targets?",
        ownerRole: 'school',
        minutes: 30,
      },
      {
        title: 'Evaluation of all ASK support',
        detail:
          'Evaluation of all council (Advisory Service Kent) support, focused on pupil progress; officers unable to attend send a ' +
          'brief report on the impact of their work.',
        ownerRole: 'council',
        minutes: 30,
      },
      {
        title: 'LCSP and other support',
        detail: "Support from the Local Children's Services Partnership and other sources.",
        ownerRole: 'council',
        minutes: 15,
      },
      {
        title: 'Agreed actions and future brokering',
        detail: null,
        ownerRole: 'all',
        minutes: 20,
      },
      {
        title: 'AOB',
        detail: null,
        ownerRole: 'all',
        minutes: 5,
      },
      {
        title: 'Date of next meeting',
        detail: null,
        ownerRole: 'partner',
        minutes: 5,
      },
    ],
    sourceNote: 'Seed 004 section 15 (Guidance for round table meetings: RTM agenda, preparation, core group).',
  },
  {
    visitType: 'joint_evaluation',
    name: 'Joint evaluation meeting',
    description:
      'Held monthly or termly for schools in an Ofsted category and schools with significant concerns about leadership and ' +
      'management and their capacity to accelerate progress.',
    fixed: false,
    items: [
      {
        title: 'Actions from the last meeting',
        detail: 'Review progress on the actions agreed at the last meeting.',
        ownerRole: 'partner',
        minutes: 15,
      },
      {
        title: "Progress against the key issues and the council's statement of action",
        detail: "Progress against the Ofsted key issues for action and the council's statement of action.",
        ownerRole: 'school',
        minutes: 30,
      },
      {
        title: 'Pupil progress data',
        detail: 'The latest pupil progress data, by group.',
        ownerRole: 'school',
        minutes: 20,
      },
      {
        title: 'Leadership and management: capacity to accelerate progress',
        detail: 'Evidence of the capacity of leaders and governors to accelerate progress.',
        ownerRole: 'headteacher',
        minutes: 25,
      },
      {
        title: 'Support and intervention: impact and next steps',
        detail: 'Impact of council and other support; further support or intervention needed.',
        ownerRole: 'council',
        minutes: 20,
      },
      {
        title: 'Agreed actions and date of next meeting',
        detail: null,
        ownerRole: 'all',
        minutes: 10,
      },
    ],
    sourceNote:
      'Seed 004 section 14 (Joint Evaluation Meetings; Area Children Services Officer evaluation meetings) and section 3 (timing). ' +
      'The seeds give no agenda for this meeting: the items are built from its stated purpose.',
  },
  {
    visitType: 'inspection_feedback',
    name: 'Ofsted inspection feedback',
    description:
      "The partner attends the inspectors' feedback to the school and completes the council's Ofsted feedback form, returned " +
      'within 2 days of the inspection. The form is confidential until the final report is published.',
    fixed: false,
    items: [
      {
        title: "Prepare the feedback form with the school's self-evaluation grades",
        detail: "Before feedback, enter the school's SEF grades on the feedback form (also needed if another adviser attends instead).",
        ownerRole: 'partner',
        minutes: 15,
      },
      {
        title: 'Inspection feedback',
        detail: "Attend the inspectors' feedback with the headteacher; record the Ofsted grade at feedback beside the school's grade " + 'for each judgement.',
        ownerRole: 'all',
        minutes: 60,
      },
      {
        title: 'Confirm grades with the lead inspector',
        detail: 'Where possible confirm the grades with the inspector at the end of feedback and obtain clarification.',
        ownerRole: 'partner',
        minutes: 10,
      },
      {
        title: 'Commentary on differences and concerns',
        detail: 'Complete the commentary where self-evaluation and Ofsted judgements differ and where there are concerns about the ' + 'inspection process.',
        ownerRole: 'partner',
        minutes: 15,
      },
      {
        title: 'Report the outcome and return the feedback form',
        detail: 'Phone or email the partner manager as soon as the outcome is known; return the feedback form by email within 2 days of ' + 'the inspection.',
        ownerRole: 'partner',
        minutes: 10,
      },
    ],
    sourceNote: 'Seed 004 section 17 (The OfSTED feedback form; Ofsted inspection (section 5) feedback form) and section 3 (timing).',
  },
  {
    visitType: 'other',
    name: 'Other visit',
    description: 'A visit with a focus agreed with the school in advance and confirmed by email.',
    fixed: false,
    items: [
      {
        title: 'Purpose and focus of the visit',
        detail: 'Confirm the focus agreed in advance.',
        ownerRole: 'partner',
        minutes: 10,
      },
      {
        title: 'Progress on previous recommendations',
        detail: 'Review progress on the recommendations of the last note of visit.',
        ownerRole: 'headteacher',
        minutes: 20,
      },
      {
        title: 'Main focus activity',
        detail: null,
        ownerRole: 'all',
        minutes: 90,
      },
      {
        title: 'School agenda items',
        detail: 'Items raised by the school.',
        ownerRole: 'school',
        minutes: 20,
      },
      {
        title: 'Recommendations and next steps',
        detail: 'Agree few (rarely more than 4) SMART recommendations, each with an owner and a due date.',
        ownerRole: 'partner',
        minutes: 15,
      },
    ],
    sourceNote:
      'Generic agenda; not given in the seeds. Built from seed 004 section 9 (agree and confirm the date and focus of every visit; ' +
      "recommendations carried into the next note) and seeds 002 and 004 (take account of the school's own agenda).",
  },
];

/** Judgement headings of the note of visit (seed 000, MI sheet 231/11; DOMAIN.md). */
export interface InspectionHeadingSeed {
  code: string;
  label: string;
}

export const INSPECTION_HEADINGS: readonly InspectionHeadingSeed[] = [
  { code: 'achievement', label: 'Achievement' },
  { code: 'quality_of_teaching', label: 'Quality of teaching' },
  { code: 'leadership_and_management', label: 'Leadership and management' },
  { code: 'behaviour_and_safety', label: 'Behaviour and safety' },
  { code: 'overall_effectiveness', label: 'Overall effectiveness' },
];

/**
 * Agreed words for proportions (DOMAIN.md; seed 004 section 9 gives fuller wording,
 * e.g. "Vast/overwhelming majority or almost all", "Very small minority, few").
 * Bounds are whole percentages, inclusive. Note the source bands leave 50% itself
 * uncovered (majority is 51-64%, minority 35-49%), and non-integer percentages fall
 * between bands; callers must round or decide.
 */
export interface ProportionWordsSeed {
  min: number;
  max: number;
  words: string;
}

export const PROPORTION_WORDS: readonly ProportionWordsSeed[] = [
  { min: 97, max: 100, words: 'almost all' },
  { min: 80, max: 96, words: 'most' },
  { min: 65, max: 79, words: 'large majority' },
  { min: 51, max: 64, words: 'majority' },
  { min: 35, max: 49, words: 'minority' },
  { min: 20, max: 34, words: 'small minority' },
  { min: 4, max: 19, words: 'few' },
  { min: 0, max: 3, words: 'almost none' },
];
