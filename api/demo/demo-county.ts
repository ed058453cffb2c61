import { ref } from '@mikro-orm/core';
import { TZDate } from '@date-fns/tz';
import { addDays, format, parseISO } from 'date-fns';
import { academicYearLabel, academicYearStart } from '../src/platform/dates/academic-year.js';
import { KENT_TERM_CALENDARS, type TermCalendarSeed } from './kent-2009-11.data.js';
import { TermCalendar, Holiday, Term, type TermSeason } from '../src/calendar/term-calendar.entity.js';
import { typicalTermCalendar } from './term-dates.js';
import { businessDateOf } from '../src/platform/dates/today.js';
import { ENGLAND_AND_WALES, isWorkingDay } from '../src/platform/dates/working-days.js';
import type { Em } from '../src/platform/db/orm.js';
import { COUNCIL_TIME_ZONE } from '../src/platform/graphql/scalars.js';
import { Finding } from '../src/notes/finding.entity.js';
import { Judgement } from '../src/notes/judgement.entity.js';
import { noteDeadlines } from '../src/notes/note-deadlines.js';
import { EvidenceBasis, JudgementArea, ModerationDecision, NoteStatus, RecipientRole, RecommendationStatus, ReviewProgress } from '../src/notes/note.enums.js';
import { NoteOfVisit } from '../src/notes/note-of-visit.entity.js';
import { NoteRecipient } from '../src/notes/note-recipient.entity.js';
import { NoteTarget } from '../src/notes/note-target.entity.js';
import { RecommendationReview } from '../src/notes/recommendation-review.entity.js';
import { Recommendation } from '../src/notes/recommendation.entity.js';
import { Allocation } from '../src/partners/allocation.entity.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { Address } from '../src/schools/address.embeddable.js';
import { Contact } from '../src/schools/contact.embeddable.js';
import { RiskCategoryAssessment } from '../src/schools/risk-category-assessment.entity.js';
import { SchoolSuccession } from '../src/schools/school-succession.entity.js';
import { School } from '../src/schools/school.entity.js';
import { RiskCategory, SchoolPhase, SchoolStatus, SchoolSuccessionKind, SchoolType } from '../src/schools/school.enums.js';
import { AgendaItem } from '../src/visits/agenda-item.entity.js';
import { AgendaTemplate, AgendaTemplateItem } from '../src/visits/agenda-template.entity.js';
import { AGENDA_TEMPLATES } from './agenda-templates.data.js';
import { AppointmentLink } from '../src/visits/appointment-link.embeddable.js';
import { VisitAttendee } from '../src/visits/visit-attendee.entity.js';
import { Visit } from '../src/visits/visit.entity.js';
import { type AgendaOwnerRole, AttendeeRole, VisitStatus, VisitType, visitTypeHasNote } from '../src/visits/visit.enums.js';
import { ACADEMY_CONVERSIONS } from './academy-conversions.data.js';
import { initialsOf, STATUS_AFTER_REVIEW } from '../src/notes/note.rules.js';
import { COUNTY, DISTRICTS, FIRST_NAMES, LAST_NAMES, NEWCOMER, PARTNERS, PLACES, emailFor } from './demo-people.js';
import { Random } from './random.js';

export interface DemoSummary {
  schools: number;
  partners: number;
  allocations: number;
  visits: number;
  notes: number;
  notesByStatus: Record<string, number>;
}

type Make = <T extends object>(cls: new () => T, props: Partial<T>) => T;

/**
 * Builds a fictional county ("Northmarsh", LA 926) around today's date: the 17
 * academy conversions of seed 003 with their predecessors, maintained schools of
 * every phase, partners and managers, two academic years of allocations, term
 * calendars, visits (past ones completed, later ones booked) and notes of visit
 * in every status, with recommendations carried from note to note.
 * Deterministic for a given `today`.
 */
export function buildDemoCounty(em: Em, now: Date): DemoSummary {
  const rnd = new Random(20261122);
  const make: Make = (cls, props) => {
    const entity = Object.assign(new cls(), props);
    em.persist(entity);
    return entity;
  };
  const today = businessDateOf(now);
  const currentStart = academicYearStart(today);
  const years = [currentStart - 1, currentStart];

  const partners = PARTNERS.map((p, i) =>
    make(Partner, {
      name: p.name,
      email: emailFor(p.name),
      role: p.role === 'manager' ? PartnerRole.MANAGER : PartnerRole.PARTNER,
      employer: p.employer,
      active: true,
      createdAt: new Date(Date.UTC(currentStart - 3, 8, 1 + i)),
    }),
  );
  const managers = partners.filter((p) => p.role === PartnerRole.MANAGER);
  const fieldPartners = partners.filter((p) => p.role === PartnerRole.PARTNER);
  // The two newest partners are mentored by experienced ones.
  fieldPartners.at(-1)!.mentor = ref(fieldPartners[0]!);
  fieldPartners.at(-2)!.mentor = ref(fieldPartners[1]!);

  const personName = () => `${rnd.pick(FIRST_NAMES)} ${rnd.pick(LAST_NAMES)}`;
  const contact = (name: string, domain: string) =>
    Object.assign(new Contact(), { name, email: `${name.split(' ')[0]!.toLowerCase()}.${name.split(' ')[1]!.toLowerCase()}@${domain}` });
  const address = (line1: string, town: string) =>
    Object.assign(new Address(), {
      line1,
      line2: null,
      town,
      county: COUNTY.name,
      postcode: `${COUNTY.postcodeArea}${rnd.int(1, 34)} ${rnd.int(1, 9)}${rnd.pick(['A', 'B', 'D', 'E', 'F', 'H', 'J', 'L', 'N', 'P', 'Q', 'R', 'S', 'T', 'U', 'W'])}${rnd.pick(['A', 'B', 'D', 'E', 'G', 'H', 'J', 'L', 'N', 'P', 'R', 'S', 'T', 'W', 'X', 'Y'])}`,
    });
  const schoolDomain = (name: string) =>
    `${name
      .toLowerCase()
      .replace(/[^a-z]+/g, '')
      .slice(0, 24)}.sch.example`;
  const ofsted = () =>
    rnd.weighted([
      [1, 2],
      [2, 6],
      [3, 3],
      [4, 1],
    ] as const);
  const ofstedDate = () => format(addDays(parseISO(`${currentStart - rnd.int(1, 5)}-01-10`), rnd.int(0, 300)), 'yyyy-MM-dd');

  let urn = 121_000;
  const schools: School[] = [];
  const dfe = (n: string) => Number(n.split('/')[1]);

  // The academy conversions of seed 003, each with the school it replaced.
  for (const conversion of ACADEMY_CONVERSIONS) {
    const district = rnd.pick(DISTRICTS);
    const phase = conversion.phase as SchoolPhase;
    let predecessor: School | null = null;
    if (conversion.formerDfeNumber) {
      predecessor = make(School, {
        urn: urn++,
        laCode: COUNTY.laCode,
        establishmentNumber: dfe(conversion.formerDfeNumber),
        name: conversion.formerName,
        phase,
        type: SchoolType.MAINTAINED,
        establishmentTypeName: phase === SchoolPhase.SPECIAL ? 'Community special school' : 'Community school',
        district,
        address: address(`${rnd.int(1, 90)} School Road`, conversion.formerName.split(',').at(-1)!.trim().split(' ')[0]!),
        status: SchoolStatus.CLOSED,
        closedOn: conversion.convertedOn ? format(addDays(parseISO(conversion.convertedOn), -1), 'yyyy-MM-dd') : null,
        lastOfstedGrade: rnd.pick([3, 4]),
        lastOfstedDate: conversion.convertedOn ? format(addDays(parseISO(conversion.convertedOn), -rnd.int(200, 700)), 'yyyy-MM-dd') : null,
      });
      schools.push(predecessor);
    }
    const head = personName();
    const academy = make(School, {
      urn: 139_000 + schools.length,
      laCode: COUNTY.laCode,
      establishmentNumber: dfe(conversion.academyDfeNumber),
      name: conversion.academyName,
      phase,
      type: conversion.academyType as SchoolType,
      establishmentTypeName: {
        academy_converter: 'Academy converter',
        sponsored_academy: 'Academy sponsor led',
        free_school: 'Free schools',
      }[conversion.academyType],
      district,
      address: predecessor?.address ? Object.assign(new Address(), predecessor.address) : address(`${rnd.int(1, 90)} Academy Way`, rnd.pick(PLACES)),
      headteacher: contact(head, schoolDomain(conversion.academyName)),
      chairOfGovernors: contact(personName(), schoolDomain(conversion.academyName)),
      status: SchoolStatus.OPEN,
      openedOn: conversion.convertedOn,
      lastOfstedGrade: ofsted(),
      lastOfstedDate: ofstedDate(),
    });
    schools.push(academy);
    if (predecessor) {
      make(SchoolSuccession, {
        predecessor: ref(predecessor),
        successor: ref(academy),
        kind: SchoolSuccessionKind.ACADEMY_CONVERSION,
        effectiveOn: conversion.convertedOn,
        sponsor: conversion.sponsor,
      });
    }
  }

  // Maintained schools of every phase.
  const maintainedPlan: [SchoolPhase, string, string][] = [
    [SchoolPhase.NURSERY, 'Nursery School', 'Local authority nursery school'],
    [SchoolPhase.NURSERY, 'Nursery School', 'Local authority nursery school'],
    ...Array.from({ length: 12 }, (): [SchoolPhase, string, string] => [
      SchoolPhase.PRIMARY,
      rnd.pick(['Primary School', 'Church of England Primary School', 'Infant School', 'Junior School', 'Community Primary School']),
      rnd.pick(['Community school', 'Voluntary aided school', 'Voluntary controlled school', 'Foundation school']),
    ]),
    [SchoolPhase.MIDDLE, 'Middle School', 'Community school'],
    [SchoolPhase.SECONDARY, 'High School', 'Community school'],
    [SchoolPhase.SECONDARY, 'High School', 'Foundation school'],
    [SchoolPhase.SECONDARY, 'Community High School', 'Voluntary controlled school'],
    [SchoolPhase.ALL_THROUGH, 'School (3-16)', 'Community school'],
    [SchoolPhase.SPECIAL, 'Special School', 'Community special school'],
    [SchoolPhase.SPECIAL, 'Hospital and Special School', 'Community special school'],
    [SchoolPhase.PRU, 'Short Stay School', 'Pupil referral unit'],
    [SchoolPhase.SPECIAL, 'House School', 'Other independent special school'],
  ];
  const places = rnd.shuffle(PLACES);
  maintainedPlan.forEach(([phase, suffix, typeName], i) => {
    const place = places[i % places.length]!;
    const name = `${place} ${suffix}`;
    const base = {
      [SchoolPhase.NURSERY]: 1000,
      [SchoolPhase.PRIMARY]: 2000,
      [SchoolPhase.MIDDLE]: 2500,
      [SchoolPhase.SECONDARY]: 4000,
      [SchoolPhase.ALL_THROUGH]: 4100,
      [SchoolPhase.SPECIAL]: 7000,
      [SchoolPhase.PRU]: 1100,
      [SchoolPhase.SIXTEEN_PLUS]: 4900,
    }[phase];
    schools.push(
      make(School, {
        urn: urn++,
        laCode: COUNTY.laCode,
        establishmentNumber: base + 10 + i * 7,
        name,
        phase,
        // Independent special schools take pupils the council places: visited, but not maintained.
        type: typeName.includes('independent') ? SchoolType.OTHER : SchoolType.MAINTAINED,
        establishmentTypeName: typeName,
        district: rnd.pick(DISTRICTS),
        address: address(`${rnd.pick(['Church Lane', 'School Road', 'The Street', 'Mill Lane', 'Station Road'])}`, place),
        headteacher: contact(personName(), schoolDomain(name)),
        chairOfGovernors: contact(personName(), schoolDomain(name)),
        status: i === 5 ? SchoolStatus.OPEN_PROPOSED_TO_CLOSE : SchoolStatus.OPEN,
        openedOn: null,
        lastOfstedGrade: ofsted(),
        lastOfstedDate: ofstedDate(),
      }),
    );
  });

  const openSchools = schools.filter((s) => s.status !== SchoolStatus.CLOSED);

  // Risk categories: a short history for every open school, the latest current.
  for (const school of openSchools) {
    const recent = school.openedOn && school.openedOn > `${currentStart - 2}-09-01`;
    const settled = (grade: number): RiskCategory =>
      grade === 1
        ? RiskCategory.F1
        : grade === 2
          ? rnd.pick([RiskCategory.E1, RiskCategory.E2])
          : grade === 3
            ? rnd.pick([RiskCategory.B3, RiskCategory.C3])
            : RiskCategory.A4;
    const history: RiskCategory[] = recent
      ? [rnd.pick([RiskCategory.D1, RiskCategory.D2, RiskCategory.D3]), settled(school.lastOfstedGrade ?? 2)]
      : [settled(Math.min(4, (school.lastOfstedGrade ?? 2) + rnd.int(0, 1))), settled(school.lastOfstedGrade ?? 2)];
    history.forEach((category, i) => {
      make(RiskCategoryAssessment, {
        school: ref(school),
        category,
        effectiveFrom: `${years[i]}-09-${String(10 + rnd.int(0, 15)).padStart(2, '0')}`,
        rationale: rationaleFor(category),
        assessedBy: ref(rnd.pick(managers)),
      });
    });
    school.currentRiskCategory = history.at(-1)!;
  }

  // Term calendars: the demo's two years, and Kent's 2009-11 from seed 004.
  const calendars: TermCalendarSeed[] = [...years.map(typicalTermCalendar), ...KENT_TERM_CALENDARS];
  const calendarByYear = new Map<string, TermCalendarSeed>();
  for (const seed of calendars) {
    calendarByYear.set(seed.academicYear, seed);
    make(TermCalendar, {
      academicYear: seed.academicYear,
      terms: seed.terms.map((t) => Object.assign(new Term(), { ...t, season: t.season as TermSeason })),
      holidays: seed.holidays.map((h) => Object.assign(new Holiday(), h)),
    });
  }

  for (const template of AGENDA_TEMPLATES) {
    make(AgendaTemplate, {
      visitType: template.visitType as VisitType,
      name: template.name,
      description: template.description,
      fixed: template.fixed,
      source: template.sourceNote,
      items: template.items.map((item) => Object.assign(new AgendaTemplateItem(), { ...item, ownerRole: item.ownerRole as AgendaOwnerRole })),
    });
  }
  const templateByType = new Map(AGENDA_TEMPLATES.map((t) => [t.visitType as VisitType, t]));

  // Allocations: each open school has one partner a year; a few change partner this year.
  const allocationsCount = { n: 0 };
  const partnerOf = new Map<string, Partner[]>();
  openSchools.forEach((school, i) => {
    const previous = fieldPartners[i % fieldPartners.length]!;
    const current = i % 9 === 4 ? fieldPartners[(i + 3) % fieldPartners.length]! : previous;
    partnerOf.set(school.id, [previous, current]);
    [previous, current].forEach((partner, y) => {
      const isNew = y === 1 && partner !== previous;
      const extra = school.currentRiskCategory === RiskCategory.A4 ? 5 : [RiskCategory.B3, RiskCategory.C3].includes(school.currentRiskCategory!) ? 2 : 0;
      make(Allocation, {
        partner: ref(partner),
        school: ref(school),
        academicYear: academicYearLabel(years[y]!),
        days: (isNew ? 6 : 5) + extra,
        reason:
          [isNew ? 'new to the school (+1)' : null, extra === 5 ? 'substantial support (+5)' : extra === 2 ? 'intensive support (+2)' : null]
            .filter(Boolean)
            .join('; ') || null,
      });
      allocationsCount.n += 1;
    });
  });

  // Visits: a working day inside the wanted term, 09:00 London time.
  const visitDay = (academicYear: string, termName: string, offset: number): string => {
    const term = calendarByYear.get(academicYear)!.terms.find((t) => t.name === termName)!;
    let day = addDays(parseISO(term.startsOn), 7 + offset);
    while (!isWorkingDay(format(day, 'yyyy-MM-dd'))) day = addDays(day, 1);
    const iso = format(day, 'yyyy-MM-dd');
    return iso > term.endsOn ? term.endsOn : iso;
  };
  const at = (isoDate: string, hour: number) => {
    const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
    return new TZDate(y, m - 1, d, hour, 0, 0, COUNCIL_TIME_ZONE);
  };

  const visits: Visit[] = [];
  const book = (school: School, partner: Partner, type: VisitType, isoDate: string, hours: number) => {
    const startsAt = new Date(at(isoDate, hours >= 4 ? rnd.pick([9, 9, 10]) : rnd.pick([9, 10, 13, 14])).getTime());
    const endsAt = new Date(startsAt.getTime() + hours * 3_600_000);
    const past = endsAt.getTime() < now.getTime();
    const cancelled = rnd.chance(0.04);
    const fromOutlook = rnd.chance(0.75);
    const visit = make(Visit, {
      school: ref(school),
      leadPartner: ref(partner),
      type,
      status: cancelled ? VisitStatus.CANCELLED : past ? VisitStatus.COMPLETED : VisitStatus.BOOKED,
      startsAt,
      endsAt,
      location: school.address?.oneLine ?? null,
      appointment: fromOutlook
        ? Object.assign(new AppointmentLink(), {
            itemId: `AAMkAD${rnd.hex(40)}`,
            icalUid: `040000008200E00074C5B7101A82E008${rnd.hex(32).toUpperCase()}`,
            organiserEmail: partner.email,
          })
        : null,
      inSchoolDays: hours >= 4 ? 1 : 0.5,
      outOfSchoolDays: type === VisitType.HEADTEACHER_PERFORMANCE_MANAGEMENT ? 0.25 : 0.5,
      cancellationReason: cancelled ? rnd.pick(['School closed for snow.', 'Headteacher unwell; to be rearranged.', 'Clash with an Ofsted inspection.']) : null,
      cancelledAt: cancelled ? new Date(startsAt.getTime() - 3 * 86_400_000) : null,
      completedAt: !cancelled && past ? endsAt : null,
      createdAt: new Date(startsAt.getTime() - rnd.int(14, 40) * 86_400_000),
    });
    const template = templateByType.get(type);
    template?.items.forEach((item, i) =>
      make(AgendaItem, {
        visit: ref(visit),
        position: i + 1,
        title: item.title,
        detail: item.detail,
        ownerRole: item.ownerRole as AgendaOwnerRole,
        minutes: item.minutes,
      }),
    );
    const attendees: [string, string | null, AttendeeRole][] = [[school.headteacher!.name, school.headteacher!.email ?? null, AttendeeRole.HEADTEACHER]];
    if ([VisitType.SUMMER, VisitType.HEADTEACHER_PERFORMANCE_MANAGEMENT, VisitType.ROUND_TABLE].includes(type)) {
      attendees.push([school.chairOfGovernors!.name, school.chairOfGovernors!.email ?? null, AttendeeRole.CHAIR_OF_GOVERNORS]);
    }
    if (type === VisitType.ROUND_TABLE) {
      const manager = managers[0]!;
      attendees.push([manager.name, manager.email, AttendeeRole.COUNCIL_OFFICER]);
    }
    attendees.forEach(([name, email, role], i) =>
      make(VisitAttendee, {
        visit: ref(visit),
        position: i + 1,
        name,
        email,
        role,
        partner: role === AttendeeRole.COUNCIL_OFFICER ? ref(managers[0]!) : null,
      }),
    );
    visits.push(visit);
    return visit;
  };

  openSchools.forEach((school, i) => {
    const [previous, current] = partnerOf.get(school.id)!;
    years.forEach((startYear, y) => {
      const label = academicYearLabel(startYear);
      const partner = y === 0 ? previous! : current!;
      if (y === 1 && partner !== previous) book(school, partner, VisitType.FAMILIARISATION, visitDay(label, 'Autumn 1', i % 10), 2);
      book(school, partner, VisitType.AUTUMN, visitDay(label, 'Autumn 2', i % 15), 5);
      if (i % 4 === 0) book(school, partner, VisitType.HEADTEACHER_PERFORMANCE_MANAGEMENT, visitDay(label, 'Autumn 1', (i * 3) % 20), 2);
      book(school, partner, VisitType.SPRING, visitDay(label, 'Spring 2', i % 12), 4);
      book(school, partner, VisitType.SUMMER, visitDay(label, 'Summer 2', i % 15), 4);
      if (school.currentRiskCategory === RiskCategory.A4) {
        ['Autumn 2', 'Spring 1', 'Summer 1'].forEach((term, t) => book(school, partner, VisitType.ROUND_TABLE, visitDay(label, term, 10 + t), 3));
      }
      if (i % 11 === 3) book(school, partner, VisitType.JOINT_EVALUATION, visitDay(label, 'Spring 1', i % 8), 3);
      if (i % 13 === 6) book(school, partner, VisitType.INSPECTION_FEEDBACK, visitDay(label, 'Summer 1', i % 9), 2);
    });
  });

  // Notes of visit: oldest first per school, so recommendations carry forward.
  const withNotes = visits
    .filter((v) => v.status === VisitStatus.COMPLETED && visitTypeHasNote(v.type))
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  // The latest two completed visits have no note yet; the dozen before them cover every status.
  const unstarted = new Set(withNotes.slice(-2));
  const recentStatuses = [
    NoteStatus.DRAFT,
    NoteStatus.SHARED,
    NoteStatus.DRAFT,
    NoteStatus.AGREED,
    NoteStatus.DISPUTED,
    NoteStatus.SHARED,
    NoteStatus.MODERATED,
    NoteStatus.DRAFT,
    NoteStatus.AGREED,
    NoteStatus.DISPUTED,
    NoteStatus.SHARED,
    NoteStatus.DRAFT,
  ];
  const recent = withNotes.slice(-2 - recentStatuses.length, -2);
  const statusFor = new Map<Visit, NoteStatus>(recent.map((v, i) => [v, recentStatuses[recentStatuses.length - recent.length + i]!]));

  const lastRecommendations = new Map<string, Recommendation[]>();
  const notesByStatus: Record<string, number> = {};
  let notes = 0;
  for (const visit of withNotes) {
    if (unstarted.has(visit)) continue;
    const school = visit.school.getEntity();
    const author = visit.leadPartner.getEntity();
    const status = statusFor.get(visit) ?? NoteStatus.CIRCULATED;
    const deadlines = noteDeadlines(visit.startsAt, ENGLAND_AND_WALES); // the demo council has no closure days
    const visitEnd = visit.endsAt.getTime();
    const day = (n: number) => new Date(visitEnd + n * 86_400_000);
    const disputedOnce = status === NoteStatus.CIRCULATED && rnd.chance(0.08);
    const reached = (s: NoteStatus) => ORDER.indexOf(status) >= ORDER.indexOf(s);
    const respondedAgree = status === NoteStatus.AGREED || (status === NoteStatus.CIRCULATED && !disputedOnce);
    const respondedDispute = status === NoteStatus.DISPUTED || status === NoteStatus.MODERATED || disputedOnce;
    const head = school.headteacher!;
    const headInitials = initialsOf(head.name);
    const note = make(NoteOfVisit, {
      visit: ref(visit),
      author: ref(author),
      status,
      purpose: purposeFor(visit.type),
      summary: summaryFor(school, headInitials, rnd),
      ...deadlines,
      sharedAt: reached(NoteStatus.SHARED) ? day(rnd.int(2, 6)) : null,
      headteacherAgreed: respondedAgree ? true : respondedDispute ? false : null,
      headteacherComment: respondedDispute
        ? 'The school does not accept the judgement on teaching: the partner saw two lessons only, and the school’s own monitoring shows consistently good practice.'
        : respondedAgree
          ? 'Agreed. Thank you for a helpful visit.'
          : null,
      headteacherRespondedAt: respondedAgree || respondedDispute ? day(rnd.int(6, 9)) : null,
      moderationDecision: status === NoteStatus.MODERATED || disputedOnce ? rnd.pick([ModerationDecision.UPHOLD_PARTNER, ModerationDecision.AMENDED]) : null,
      moderationComment:
        status === NoteStatus.MODERATED || disputedOnce
          ? 'Moderated by a senior adviser after reading the evidence base: the partner’s judgement stands, and the school’s view is recorded in the note.'
          : null,
      moderatedBy: status === NoteStatus.MODERATED || disputedOnce ? ref(managers[1]!) : null,
      moderatedAt: status === NoteStatus.MODERATED || disputedOnce ? day(rnd.int(9, 11)) : null,
      circulatedAt: status === NoteStatus.CIRCULATED ? day(rnd.int(8, 13)) : null,
      createdAt: day(1),
    });
    notes += 1;
    notesByStatus[status] = (notesByStatus[status] ?? 0) + 1;

    const grade = school.lastOfstedGrade ?? 2;
    Object.values(JudgementArea).forEach((area) => {
      if (area === JudgementArea.BEHAVIOUR_AND_SAFETY && rnd.chance(0.2)) return; // a heading can be left out
      const insufficient = rnd.chance(0.08);
      const schoolGrade = Math.max(1, grade - (rnd.chance(0.35) ? 1 : 0));
      const partnerGrade = insufficient ? null : Math.min(4, Math.max(1, grade + (rnd.chance(0.15) ? 1 : 0)));
      make(Judgement, {
        note: ref(note),
        area,
        schoolGrade,
        partnerGrade,
        insufficientEvidence: insufficient,
        evidenceBasis: insufficient ? EvidenceBasis.REPORTED : rnd.pick(Object.values(EvidenceBasis)),
        disagreementReason:
          partnerGrade !== null && partnerGrade !== schoolGrade
            ? 'The school’s evaluation rests on its own monitoring; progress in books and lessons seen does not yet show the consistency the higher grade needs.'
            : null,
        commentary: insufficient ? 'Insufficient evidence was available on the day to corroborate the school’s judgement.' : null,
      });
    });
    FINDINGS.slice(0, rnd.int(2, 4)).forEach(([area, text, basis], i) =>
      make(Finding, { note: ref(note), position: i + 1, area, text: text.replaceAll('{HT}', headInitials), evidenceBasis: basis }),
    );

    const previousRecommendations = lastRecommendations.get(school.id) ?? [];
    for (const earlier of previousRecommendations) {
      const reviewed = status !== NoteStatus.DRAFT || rnd.chance(0.5);
      const progress = reviewed
        ? rnd.weighted([
            [ReviewProgress.ACHIEVED, 4],
            [ReviewProgress.IN_PROGRESS, 4],
            [ReviewProgress.NOT_ACHIEVED, 1],
            [ReviewProgress.SUPERSEDED, 1],
          ] as const)
        : null;
      make(RecommendationReview, {
        note: ref(note),
        recommendation: ref(earlier),
        progress,
        comment: progress ? REVIEW_COMMENTS[progress] : null,
        createdAt: day(1),
      });
      if (progress && status === NoteStatus.CIRCULATED) earlier.status = STATUS_AFTER_REVIEW[progress];
    }

    const count = rnd.int(2, 4);
    const recommendations = rnd
      .shuffle(RECOMMENDATIONS)
      .slice(0, count)
      .map(([action, measure, owner], i) =>
        make(Recommendation, {
          note: ref(note),
          position: i + 1,
          action,
          successMeasure: measure,
          ownerRole: owner,
          ownerInitials: owner === 'Headteacher' ? headInitials : initialsOf(personName()),
          dueOn: format(addDays(visit.endsAt, rnd.int(50, 120)), 'yyyy-MM-dd'),
          status: RecommendationStatus.OPEN,
        }),
      );
    lastRecommendations.set(school.id, recommendations);

    if (visit.type === VisitType.AUTUMN && [SchoolPhase.PRIMARY, SchoolPhase.SECONDARY, SchoolPhase.ALL_THROUGH, SchoolPhase.MIDDLE].includes(school.phase)) {
      const cohortYear = academicYearStart(businessDateOf(visit.startsAt)) + 2;
      const measures = school.phase === SchoolPhase.SECONDARY ? KS4_MEASURES : KS2_MEASURES;
      measures.forEach(([keyStage, measure, low, high], i) =>
        make(NoteTarget, { note: ref(note), position: i + 1, keyStage, measure, year: cohortYear, value: rnd.int(low, high) }),
      );
    }

    const recipients: [RecipientRole, string, string | null][] = [
      [RecipientRole.HEADTEACHER, head.name, head.email ?? null],
      [RecipientRole.CHAIR_OF_GOVERNORS, school.chairOfGovernors!.name, school.chairOfGovernors!.email ?? null],
      [RecipientRole.COUNCIL, 'School Improvement Team', `school.improvement@${COUNTY.emailDomain}`],
    ];
    recipients.forEach(([role, name, email], i) => make(NoteRecipient, { note: ref(note), position: i + 1, role, name, email }));
  }

  // Quality assurance (issue 22): a partner new this year, mentored by an experienced one, whose first visit (the mentor
  // with them) took place with the county's latest visits and whose first note is still to be written: started, it goes
  // to the mentor before it can be shared. Made last and without the random generator, so nothing above changes.
  const newcomer = make(Partner, {
    name: NEWCOMER.name,
    email: emailFor(NEWCOMER.name),
    role: PartnerRole.PARTNER,
    employer: NEWCOMER.employer,
    active: true,
    mentor: ref(fieldPartners[0]!),
    createdAt: new Date(Date.UTC(currentStart, 8, 1)),
  });
  const latest = withNotes.at(-1);
  if (latest) {
    const firstVisit = make(Visit, {
      school: latest.school,
      leadPartner: ref(newcomer),
      type: VisitType.JOINT_EVALUATION,
      status: VisitStatus.COMPLETED,
      startsAt: latest.startsAt,
      endsAt: latest.endsAt,
      location: latest.location,
      inSchoolDays: latest.inSchoolDays,
      outOfSchoolDays: latest.outOfSchoolDays,
      completedAt: latest.endsAt,
      createdAt: latest.createdAt,
    });
    make(VisitAttendee, {
      visit: ref(firstVisit),
      position: 1,
      name: fieldPartners[0]!.name,
      email: fieldPartners[0]!.email,
      role: AttendeeRole.PARTNER,
      partner: ref(fieldPartners[0]!),
    });
  }

  return {
    schools: schools.length,
    partners: partners.length,
    allocations: allocationsCount.n,
    visits: visits.length,
    notes,
    notesByStatus,
  };
}

const ORDER = [NoteStatus.DRAFT, NoteStatus.SHARED, NoteStatus.AGREED, NoteStatus.DISPUTED, NoteStatus.MODERATED, NoteStatus.CIRCULATED];

const REVIEW_COMMENTS: Record<ReviewProgress, string> = {
  [ReviewProgress.NOT_STARTED]: 'Not yet begun; the school plans to start next term.',
  [ReviewProgress.IN_PROGRESS]: 'Under way: the first round of monitoring is complete and shows early impact.',
  [ReviewProgress.ACHIEVED]: 'Achieved: the success measure was met, as seen in the school’s tracking data.',
  [ReviewProgress.NOT_ACHIEVED]: 'Not achieved by the due date; the partner and headteacher agreed a revised recommendation.',
  [ReviewProgress.SUPERSEDED]: 'Superseded by the priorities of the new school development plan.',
};

const RECOMMENDATIONS: [string, string, string][] = [
  [
    'Sharpen the monitoring of teaching so that every lesson observation records the impact on pupils’ progress.',
    'By the end of next term, at least 80% of observations evaluate progress, checked in a joint scrutiny with the partner.',
    'Headteacher',
  ],
  [
    'Raise attainment in mathematics for disadvantaged pupils in Key Stage 2.',
    'The gap with other pupils in the school’s summer assessments narrows by at least five percentage points.',
    'Mathematics subject leader',
  ],
  [
    'Make governors’ challenge of pupil-premium spending systematic.',
    'Minutes of the next two full governing body meetings record questions on impact, and the annual statement is published on time.',
    'Chair of governors',
  ],
  ['Improve attendance of persistently absent pupils.', 'Persistent absence falls below the national figure by the spring census.', 'Deputy headteacher'],
  [
    'Extend the use of assessment information by middle leaders to plan interventions.',
    'Each subject leader presents a termly analysis to senior leaders, with actions and their impact.',
    'Assistant headteacher',
  ],
  [
    'Strengthen the teaching of early reading so that more pupils pass the phonics screening check.',
    'At least 85% of Year 1 pupils meet the expected standard in the summer check.',
    'Early years leader',
  ],
];

const FINDINGS: [JudgementArea | null, string, EvidenceBasis][] = [
  [
    JudgementArea.ACHIEVEMENT,
    'Most pupils make good progress from their starting points; the school’s tracking shows a large majority on course to meet their targets.',
    EvidenceBasis.REPORTED,
  ],
  [
    JudgementArea.QUALITY_OF_TEACHING,
    'In the lessons seen jointly with the headteacher ({HT}), questioning was used well to deepen understanding; a minority of tasks were not well matched to the most able.',
    EvidenceBasis.OBSERVED,
  ],
  [
    JudgementArea.LEADERSHIP_AND_MANAGEMENT,
    'Leaders’ self-evaluation is accurate and the development plan is sharply focused on the right priorities.',
    EvidenceBasis.REPORTED_AND_OBSERVED,
  ],
  [
    JudgementArea.BEHAVIOUR_AND_SAFETY,
    'Pupils’ conduct around the school was calm and orderly; safeguarding records seen were complete and up to date.',
    EvidenceBasis.OBSERVED,
  ],
  [null, 'The single central record meets statutory requirements; the equality objectives are published.', EvidenceBasis.OBSERVED],
];

const KS2_MEASURES: [string, string, number, number][] = [
  ['KS2', '% achieving the expected standard in reading, writing and mathematics', 58, 78],
  ['KS2', '% making expected progress in reading from Key Stage 1', 80, 95],
  ['KS2', '% making expected progress in mathematics from Key Stage 1', 80, 95],
];

const KS4_MEASURES: [string, string, number, number][] = [
  ['KS4', '% achieving grade 5 or above in English and mathematics', 38, 60],
  ['KS4', '% making expected progress in English from Key Stage 2', 65, 85],
  ['KS4', '% making expected progress in mathematics from Key Stage 2', 60, 85],
];

function purposeFor(type: VisitType): string {
  return {
    [VisitType.FAMILIARISATION]: 'Familiarisation visit by the newly allocated partner: to understand the school’s context, priorities and self-evaluation.',
    [VisitType.AUTUMN]: 'Autumn visit: analysis of the latest outcomes, review of the school’s self-evaluation and agreement of targets.',
    [VisitType.SPRING]: 'Spring visit: self-evaluation of the quality of provision, with joint lesson observation.',
    [VisitType.SUMMER]: 'Summer visit: leadership and capacity to improve, and the annual report to governors.',
    [VisitType.HEADTEACHER_PERFORMANCE_MANAGEMENT]: 'Advice to governors on the headteacher’s performance management.',
    [VisitType.ROUND_TABLE]: 'Round table meeting for a school on intensive support.',
    [VisitType.JOINT_EVALUATION]: 'Joint evaluation meeting with senior leaders.',
    [VisitType.INSPECTION_FEEDBACK]: 'Attendance at the inspection feedback meeting.',
    [VisitType.OTHER]: 'Visit.',
  }[type];
}

function summaryFor(school: School, headInitials: string, rnd: Random): string {
  const phrase = rnd.pick([
    'The school continues to improve: leaders know its strengths and weaknesses well.',
    'Leaders have an accurate view of the school; the pace of improvement in teaching now needs to quicken.',
    'A well-led school where the large majority of pupils make at least expected progress.',
  ]);
  return `${phrase} The headteacher (${headInitials}) and the partner agreed the priorities below for the ${school.phase === SchoolPhase.PRIMARY ? 'primary' : 'school'}’s next steps.`;
}

function rationaleFor(category: RiskCategory): string {
  return {
    [RiskCategory.A4]: 'Outcomes well below floor standards for two years; leadership capacity is a concern.',
    [RiskCategory.B3]: 'Requires improvement: outcomes below national averages and inconsistent teaching.',
    [RiskCategory.C3]: 'Requires improvement but making good progress against the action plan.',
    [RiskCategory.D1]: 'In transition: academy conversion under way.',
    [RiskCategory.D2]: 'In transition: new headteacher appointed this term.',
    [RiskCategory.D3]: 'In transition: amalgamation of infant and junior schools.',
    [RiskCategory.E1]: 'Confidently good: strong outcomes sustained over three years.',
    [RiskCategory.E2]: 'Good, with some variability between subjects.',
    [RiskCategory.F1]: 'Outstanding: outcomes in the top 10% nationally; supports other schools.',
  }[category];
}
