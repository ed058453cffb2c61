import { useId } from 'react';
import { formatDate, isoDay, visitTypeLabel } from '../shared/format.js';
import type { SchoolRecordsQuery } from '../shared/graphql/generated/graphql.js';
import { AREA_LABELS, GRADE_LABELS, type Area } from '../shared/note-editor/note-model.js';
import { DataTable, type Column } from '../shared/ui/DataTable.js';

export type HistoryPoint = NonNullable<SchoolRecordsQuery['school']>['judgementHistory'][number];

/** The inspection headings in the order of the note and its documents (DOMAIN.md, the API's JudgementArea). */
export const HEADINGS: Area[] = ['ACHIEVEMENT', 'QUALITY_OF_TEACHING', 'LEADERSHIP_AND_MANAGEMENT', 'BEHAVIOUR_AND_SAFETY', 'OVERALL_EFFECTIVENESS'];

/** Each heading's look: a colour, and a marker shape and line pattern so that colour is never the only difference (WCAG 1.4.1). */
const LOOK: Record<Area, { colour: string; shape: 'circle' | 'square' | 'triangle' | 'diamond' | 'cross'; dash: string; shapeWords: string }> = {
  ACHIEVEMENT: { colour: 'var(--colorPaletteBlueForeground2)', shape: 'circle', dash: '', shapeWords: 'circle, solid line' },
  QUALITY_OF_TEACHING: { colour: 'var(--colorPaletteDarkOrangeForeground1)', shape: 'square', dash: '6 3', shapeWords: 'square, dashed line' },
  LEADERSHIP_AND_MANAGEMENT: { colour: 'var(--colorPaletteGreenForeground1)', shape: 'triangle', dash: '2 3', shapeWords: 'triangle, dotted line' },
  BEHAVIOUR_AND_SAFETY: { colour: 'var(--colorPaletteBerryForeground1)', shape: 'diamond', dash: '8 3 2 3', shapeWords: 'diamond, dash-dot line' },
  OVERALL_EFFECTIVENESS: { colour: 'var(--colorNeutralForeground1)', shape: 'cross', dash: '1 0', shapeWords: 'cross, thick line' },
};

function Marker({ area, x, y, size = 5 }: { area: Area; x: number; y: number; size?: number }) {
  const { colour, shape } = LOOK[area];
  const s = size;
  switch (shape) {
    case 'circle':
      return <circle cx={x} cy={y} r={s} fill={colour} />;
    case 'square':
      return <rect x={x - s} y={y - s} width={2 * s} height={2 * s} fill={colour} />;
    case 'triangle':
      return <path d={`M${x} ${y - s * 1.2}L${x + s * 1.1} ${y + s}L${x - s * 1.1} ${y + s}Z`} fill={colour} />;
    case 'diamond':
      return <path d={`M${x} ${y - s * 1.3}L${x + s * 1.2} ${y}L${x} ${y + s * 1.3}L${x - s * 1.2} ${y}Z`} fill={colour} />;
    case 'cross':
      return <path d={`M${x - s} ${y - s}L${x + s} ${y + s}M${x + s} ${y - s}L${x - s} ${y + s}`} stroke={colour} strokeWidth={2.5} fill="none" />;
  }
}

interface NoteColumn {
  noteId: string;
  visitId: string;
  visitDate: string;
  visitType: string;
  grades: Partial<Record<Area, HistoryPoint>>;
}

/** The history as one entry per note (oldest first), its headings by area. */
export function notesOf(history: HistoryPoint[]): NoteColumn[] {
  const notes = new Map<string, NoteColumn>();
  for (const p of history) {
    const note = notes.get(p.noteId) ?? { noteId: p.noteId, visitId: p.visitId, visitDate: p.visitDate, visitType: p.visitType, grades: {} };
    note.grades[p.area as Area] = p;
    notes.set(p.noteId, note);
  }
  return [...notes.values()];
}

const gradeWords = (p: HistoryPoint | undefined) =>
  !p ? 'Not judged' : p.insufficientEvidence || p.partnerGrade === null ? 'Insufficient evidence' : GRADE_LABELS[String(p.partnerGrade)]!;

/** "10 Nov 25": an axis label, the full date being in the table and the point's title. */
const shortDate = (day: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: '2-digit' }).format(new Date(`${day}T12:00:00Z`));

const W = 680;
const H = 300;
const M = { left: 170, right: 24, top: 28, bottom: 56 };

/**
 * The partner's grade per inspection heading per circulated note, as an SVG line chart: grade 1
 * (outstanding) at the top, so up is better, and said so on the chart and in its description.
 * The chart is one image to a screen reader (role="img", a title and a description that says what
 * it shows and the latest grades); the same figures follow as a table, which a keyboard reaches.
 */
export function JudgementChart({ history, schoolName }: { history: HistoryPoint[]; schoolName: string }) {
  const id = useId();
  const notes = notesOf(history).filter((n) => HEADINGS.some((a) => n.grades[a]?.partnerGrade));
  const areas = HEADINGS.filter((a) => notes.some((n) => n.grades[a]?.partnerGrade));
  if (!notes.length) return <p>No circulated note of this school has a graded judgement yet.</p>;

  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  // room either side of the first and last note for the headings' points around them
  const inset = 24;
  const x = (i: number) => M.left + inset + (notes.length === 1 ? (plotW - 2 * inset) / 2 : ((plotW - 2 * inset) * i) / (notes.length - 1));
  // headings side by side around their note, so equal grades do not hide each other
  const nudge = (area: Area) => (areas.indexOf(area) - (areas.length - 1) / 2) * 7;
  const y = (grade: number) => M.top + ((grade - 1) * plotH) / 3;
  // as many date labels as fit (about 70 units each), counted back from the latest note
  const labelEvery = Math.ceil(notes.length / Math.max(1, Math.floor(plotW / 70)));
  const latest = notes.at(-1)!;
  const description =
    `The partner's grades for ${areas.length} inspection heading${areas.length === 1 ? '' : 's'} in ${notes.length} circulated note${notes.length === 1 ? '' : 's'} of visit, ` +
    `from ${formatDate(notes[0]!.visitDate)} to ${formatDate(latest.visitDate)}. Grade 1 (outstanding) is at the top and 4 (inadequate) at the bottom: higher is better. ` +
    `Latest, ${formatDate(latest.visitDate)}: ${areas.map((a) => `${AREA_LABELS[a]} ${gradeWords(latest.grades[a]).toLowerCase()}`).join('; ')}. The table below gives every grade.`;

  return (
    <figure className="sv-chart" data-testid="judgement-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="sv-chart-svg" preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-title`}>Judgements over time at {schoolName}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <text x={8} y={14} className="sv-chart-axis-title">
          ↑ Better (1 outstanding)
        </text>
        {[1, 2, 3, 4].map((g) => (
          <g key={g}>
            <line x1={M.left} x2={W - M.right} y1={y(g)} y2={y(g)} className="sv-chart-grid" />
            <text x={M.left - 10} y={y(g) + 4} textAnchor="end" className="sv-chart-label">
              {GRADE_LABELS[String(g)]}
            </text>
          </g>
        ))}
        {notes.map((n, i) =>
          (notes.length - 1 - i) % labelEvery === 0 ? (
            <text key={n.noteId} x={x(i)} y={H - M.bottom + 22} textAnchor="middle" className="sv-chart-label">
              {shortDate(n.visitDate)}
            </text>
          ) : null,
        )}
        <text x={M.left + plotW / 2} y={H - 8} textAnchor="middle" className="sv-chart-label">
          Visit (circulated note of visit)
        </text>
        {areas.map((area) => {
          const points = notes.flatMap((n, i) => {
            const g = n.grades[area]?.partnerGrade;
            return g ? [{ n, i, g }] : [];
          });
          return (
            <g key={area} data-area={area}>
              {points.length > 1 && (
                <polyline
                  points={points.map((p) => `${x(p.i) + nudge(area)},${y(p.g)}`).join(' ')}
                  fill="none"
                  stroke={LOOK[area].colour}
                  strokeWidth={area === 'OVERALL_EFFECTIVENESS' ? 3 : 2}
                  strokeDasharray={LOOK[area].dash || undefined}
                />
              )}
              {points.map((p) => (
                <g key={p.n.noteId} data-point="" data-note-id={p.n.noteId} data-area={area} data-grade={p.g}>
                  <title>
                    {AREA_LABELS[area]}, {formatDate(p.n.visitDate)}: {GRADE_LABELS[String(p.g)]}
                  </title>
                  <Marker area={area} x={x(p.i) + nudge(area)} y={y(p.g)} />
                </g>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="sv-chart-legend" aria-label="Key to the chart">
          {areas.map((area) => (
            <li key={area}>
              <svg width="34" height="14" aria-hidden="true" focusable="false">
                <line x1="0" x2="34" y1="7" y2="7" stroke={LOOK[area].colour} strokeWidth={2} strokeDasharray={LOOK[area].dash || undefined} />
                <Marker area={area} x={17} y={7} size={4} />
              </svg>
              {AREA_LABELS[area]} <span className="sv-visually-hidden">({LOOK[area].shapeWords})</span>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** The chart's figures as a table: a row per circulated note, a column per heading. */
export function JudgementTable({ history, schoolName }: { history: HistoryPoint[]; schoolName: string }) {
  const notes = notesOf(history);
  const areas = HEADINGS.filter((a) => notes.some((n) => n.grades[a]));
  const columns: Column<NoteColumn>[] = [
    {
      id: 'visit',
      header: 'Visit',
      rowHeader: true,
      text: (n) => formatDate(n.visitDate),
      sortValue: (n) => n.visitDate,
      csv: (n) => isoDay(n.visitDate),
    },
    { id: 'type', header: 'Visit type', text: (n) => visitTypeLabel(n.visitType), choices: true },
    ...areas.map((area): Column<NoteColumn> => ({
      id: area,
      header: AREA_LABELS[area],
      text: (n) => gradeWords(n.grades[area]),
      cell: (n) => (
        <span data-area={area} data-grade={n.grades[area]?.partnerGrade ?? undefined}>
          {gradeWords(n.grades[area])}
        </span>
      ),
      // best first when sorted ascending; no grade last
      sortValue: (n) => n.grades[area]?.partnerGrade ?? null,
      csv: (n) => n.grades[area]?.partnerGrade ?? (n.grades[area] ? 'insufficient evidence' : ''),
    })),
  ];
  return (
    <DataTable
      caption={`The partner's grade per inspection heading in each circulated note of visit at ${schoolName} (1 outstanding to 4 inadequate)`}
      name={`judgements at ${schoolName}`}
      columns={columns}
      rows={notes}
      rowKey={(n) => n.noteId}
      rowProps={(n) => ({ 'data-note-id': n.noteId })}
      initialSort={{ column: 'visit', direction: 'ascending' }}
      emptyText="No note of visit of this school has been circulated yet."
      testId="judgement-table"
    />
  );
}
