import { formatLondon } from '../platform/dates/today.js';
import type { School } from '../schools/school.entity.js';
import type { AgendaItem } from './agenda-item.entity.js';
import type { Visit } from './visit.entity.js';
import { AGENDA_OWNER_LABELS, VISIT_TYPE_LABELS } from './visit.enums.js';

/**
 * What every rendering of a visit's agenda (HTML for Outlook, .docx, .ics) says,
 * worked out once: the title, when, where and the items in words.
 */
export interface VisitDocument {
  visitId: string;
  title: string;
  when: string;
  location: string | null;
  startsAt: Date;
  endsAt: Date;
  cancelled: boolean;
  items: { number: number; title: string; detail: string | null; meta: string }[];
}

export function visitDocument(visit: Visit, school: School, agenda: readonly AgendaItem[]): VisitDocument {
  return {
    visitId: visit.id,
    title: `${VISIT_TYPE_LABELS[visit.type]} - ${school.name}`,
    when: `${formatLondon(visit.startsAt, 'EEEE d MMMM yyyy, HH:mm')} to ${formatLondon(visit.endsAt, 'HH:mm')}`,
    location: visit.location ?? school.address?.oneLine ?? null,
    startsAt: visit.startsAt,
    endsAt: visit.endsAt,
    cancelled: visit.status === 'cancelled',
    items: agenda.map((item) => ({
      number: item.position,
      title: item.title,
      detail: item.detail ?? null,
      meta: [item.minutes ? `${item.minutes} min` : null, AGENDA_OWNER_LABELS[item.ownerRole]].filter(Boolean).join(', '),
    })),
  };
}

/** The agenda as plain text, for calendar descriptions. */
export function agendaText(doc: VisitDocument): string {
  const lines = doc.items.map((i) => `${i.number}. ${i.title} (${i.meta})${i.detail ? `\n   ${i.detail}` : ''}`);
  return [`Agenda: ${doc.title}`, doc.when, ...(doc.location ? [doc.location] : []), '', ...lines, '', `Visit reference: ${doc.visitId}`].join('\n');
}
