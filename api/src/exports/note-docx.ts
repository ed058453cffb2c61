import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { longLondonDate } from '../calendar/today.js';
import type { NoteOfVisit } from '../notes/note-of-visit.entity.js';
import { GRADE_LABELS, JUDGEMENT_AREA_LABELS } from '../notes/note.enums.js';
import { loadNoteParts } from '../notes/note-parts.js';
import { proportionWords } from '../notes/proportions.js';
import { VISIT_TYPE_LABELS } from '../visits/visit.enums.js';

const words = (v: string | null | undefined) => (v ? v.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase()) : '');

const heading = (text: string) => new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 240 }, children: [new TextRun(text)] });
const text = (value: string | null | undefined) => new Paragraph({ children: [new TextRun(value ?? '')] });
const table = (header: string[], rows: string[][]) =>
  new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: h, bold: true })] })] })) }),
      ...rows.map((r) => new TableRow({ children: r.map((c) => new TableCell({ children: [text(c)] })) })),
    ],
  });

/** The note of visit as councils circulate it: a header block, the judgements table, findings, reviews, recommendations, targets, responses and distribution. */
export async function noteDocx(note: NoteOfVisit): Promise<Buffer> {
  const visit = await note.visit.loadOrFail();
  const [school, author, { judgements, findings, recommendations, reviews, targets, distribution }] = await Promise.all([
    visit.school.loadOrFail(),
    note.author.loadOrFail(),
    loadNoteParts(note),
  ]);
  const when = longLondonDate(visit.startsAt);
  const children = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Note of visit')] }),
    table(
      ['', ''],
      [
        ['School', `${school.name} (${school.dfeNumber})`],
        ['Visit', `${VISIT_TYPE_LABELS[visit.type]}, ${when}`],
        ['Partner', author.name],
        ['Status', `${words(note.status)}${note.revision > 1 ? `, revision ${note.revision}` : ''}`],
        ['Draft due / circulation due', `${note.draftDueOn} / ${note.circulationDueOn}`],
      ],
    ),
    heading('Purpose of the visit'),
    text(note.purpose),
    heading('Summary'),
    text(note.summary),
    heading('Judgements'),
    table(
      ['Heading', "School's view", "Partner's view", 'Evidence', 'Where the views differ'],
      judgements.map((j) => [
        JUDGEMENT_AREA_LABELS[j.area],
        j.schoolGrade ? GRADE_LABELS[j.schoolGrade]! : '',
        j.insufficientEvidence ? 'Insufficient evidence' : j.partnerGrade ? GRADE_LABELS[j.partnerGrade]! : '',
        words(j.evidenceBasis),
        j.disagreementReason ?? '',
      ]),
    ),
    heading('Findings'),
    ...findings.map((f) => text(`${f.text} [${words(f.evidenceBasis)}]`)),
    heading('Progress on previous recommendations'),
    reviews.length
      ? table(['Recommendation', 'Progress', 'Comment'], reviews.map((r) => [r.recommendation.getEntity().action, words(r.progress), r.comment ?? '']))
      : text('None carried forward.'),
    heading('Recommendations'),
    table(
      ['Action', 'Success measure', 'Owner', 'By'],
      recommendations.map((r) => [r.action, r.successMeasure, `${r.ownerRole}${r.ownerInitials ? ` (${r.ownerInitials})` : ''}`, r.dueOn]),
    ),
    ...(targets.length
      ? [
          heading('Targets agreed'),
          table(['Key stage', 'Measure', 'Year', 'Target'], targets.map((t) => [t.keyStage, t.measure, String(t.year), `${t.value}% (${proportionWords(t.value)})`])),
        ]
      : []),
    ...(note.headteacherAgreed !== null && note.headteacherAgreed !== undefined
      ? [heading("Headteacher's response"), text(`${note.headteacherAgreed ? 'Agreed' : 'Disputed'}${note.headteacherComment ? `: ${note.headteacherComment}` : ''}`)]
      : []),
    ...(note.moderationDecision ? [heading('Moderation'), text(`${words(note.moderationDecision)}: ${note.moderationComment ?? ''}`)] : []),
    heading('Distribution'),
    ...distribution.map((r) => text(`${words(r.role)}: ${r.name}${r.email ? ` <${r.email}>` : ''}`)),
  ];
  return Packer.toBuffer(new Document({ creator: 'School visits', title: `Note of visit: ${school.name}, ${when}`, sections: [{ children }] }));
}
