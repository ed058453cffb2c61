import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import JSZip from 'jszip';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDocx, contentPdf, type NoteHeader } from '../src/notes/note-docx.js';
import { noteDocument } from '../src/notes/note-document.js';
import { noteContent, renderContent } from '../src/notes/note-content.js';
import { JUDGEMENT_AREA_LABELS, JUDGEMENT_AREA_ORDER, JudgementArea, NoteStatus } from '../src/notes/note.enums.js';
import { NoteOfVisit } from '../src/notes/note-of-visit.entity.js';
import { readingOrder } from '../src/platform/documents/document-model.js';
import { renderPdf } from '../src/platform/documents/pdf.js';
import { agendaDocument, agendaPdf } from '../src/visits/agenda-docx.js';
import type { VisitDocument } from '../src/visits/visit-document.js';
import { contentHtml } from '../src/school-side/pages.js';
import type { Em } from '../src/platform/db/orm.js';
import { checkPdf, checkpoints } from './support/pdf-accessibility.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The note of visit and the agenda as tagged, accessible PDFs (issue 22): the PDF
 * accessibility check (support/pdf-accessibility.ts, on pdf.js) passes for a realistic
 * note and agenda, and each of its checkpoints fails on a PDF made to break it; the PDF
 * says what the Word note says; judgements read in heading order and dates in words in
 * every rendering; the PDF downloads are guarded as the Word ones are.
 */

const header: NoteHeader = {
  schoolName: 'Arden Grove Primary School',
  dfeNumber: '926/2001',
  visit: 'Spring visit, Tuesday 4 February 2020',
  partner: 'Pat Adviser',
  status: 'Circulated Friday 14 February 2020',
  deadlines: 'Draft due with the headteacher Tuesday 11 February 2020; circulation due Tuesday 18 February 2020',
};

const judgement = (area: JudgementArea, schoolGrade: number, partnerGrade: number, commentary: string) => ({
  area,
  schoolGrade,
  partnerGrade,
  insufficientEvidence: false,
  evidenceBasis: 'reported_and_observed',
  disagreementReason: schoolGrade === partnerGrade ? null : 'The school’s tracking over-estimates progress in Year 6.',
  commentary,
  headteacherComment: null,
});

/** A note with every section: as noteContent gives it, judgements in heading order. */
const content: Record<string, unknown> & { revision: number } = {
  revision: 1,
  purpose: 'Spring visit: self-evaluation of the quality of provision, with joint lesson observation.',
  summary: 'Leaders have an accurate view of the school; the pace of improvement in teaching now needs to quicken. '.repeat(6).trim(),
  judgements: [
    judgement(JudgementArea.ACHIEVEMENT, 2, 2, 'Most pupils make good progress from their starting points. '.repeat(30).trim()),
    judgement(JudgementArea.QUALITY_OF_TEACHING, 2, 3, 'Questioning was used well; tasks were not always matched to the most able.'),
    judgement(JudgementArea.LEADERSHIP_AND_MANAGEMENT, 2, 2, 'Self-evaluation is accurate and the plan is sharply focused.'),
    judgement(JudgementArea.BEHAVIOUR_AND_SAFETY, 1, 1, 'Conduct around the school was calm and orderly.'),
    judgement(JudgementArea.OVERALL_EFFECTIVENESS, 2, 2, 'A good school that knows itself well.'),
  ],
  findings: [
    { text: 'The single central record meets statutory requirements.', area: null, evidenceBasis: 'observed' },
    { text: 'Reading is taught systematically from Reception.', area: JudgementArea.QUALITY_OF_TEACHING, evidenceBasis: 'reported_and_observed' },
  ],
  reviews: [
    { recommendation: 'Make governors’ challenge of pupil-premium spending systematic.', progress: 'achieved', comment: 'Minutes show questions on impact.' },
  ],
  recommendations: [
    {
      action: 'Strengthen the teaching of early reading so that more pupils pass the phonics screening check.',
      successMeasure: 'At least 85% of Year 1 pupils meet the expected standard in the summer check.',
      ownerRole: 'Early years leader',
      ownerInitials: 'J.S.',
      dueOn: '2027-03-06',
      status: 'open',
    },
  ],
  recommendationLimitOverrideReason: null,
  targets: [{ keyStage: 'KS2', measure: '% achieving the expected standard in reading, writing and mathematics', year: 2027, value: 68 }],
  headteacherAgreed: false,
  headteacherComment: 'We believe teaching is good.',
  headteacherRespondedAt: '2020-02-10T10:00:00.000Z',
  responses: [
    {
      revision: 1,
      agreed: false,
      comment: 'We believe teaching is good.',
      judgementComments: [
        { area: JudgementArea.OVERALL_EFFECTIVENESS, comment: 'Agreed.' },
        { area: JudgementArea.QUALITY_OF_TEACHING, comment: 'Our own observations say good.' },
      ],
      respondent: 'Headteacher (A.B.)',
      recordedVia: 'link',
      reason: null,
      respondedAt: '2020-02-10T10:00:00.000Z',
    },
  ],
  moderationDecision: 'uphold_partner',
  moderationComment: 'The evidence seen supports the partner’s grade.',
  moderatedAt: '2020-02-12T10:00:00.000Z',
  correctionReason: null,
  distribution: [
    { role: 'headteacher', name: 'A. Head', email: 'head@arden.example' },
    { role: 'council', name: 'School improvement', email: 'si@council.example' },
  ],
};

const HEADING_ORDER = JUDGEMENT_AREA_ORDER.map((a) => JUDGEMENT_AREA_LABELS[a]);

describe('the PDF of a note of visit', () => {
  it('passes the accessibility check: tagged, language, title shown, fonts embedded, headings, tables, reading order', async () => {
    const model = noteDocument(header, content);
    const pdf = await contentPdf(header, content);
    // PDF_OUT=<folder>: keep the file to look at (pdftoppm -png note.pdf page).
    if (process.env.PDF_OUT) writeFileSync(join(process.env.PDF_OUT, 'note.pdf'), pdf);
    const reading = await checkPdf(pdf, {
      title: model.title,
      lang: 'en-GB',
      readingOrder: readingOrder(model),
      headings: [`H1 ${model.title}`, ...model.blocks.flatMap((b) => (b.kind === 'heading' ? [`H${b.level} ${b.text}`] : []))],
    });
    expect(reading.problems).toEqual([]);
    expect(reading.pages).toBeGreaterThan(1);
    // The note's headings, in the note's order, with the judgements in heading order.
    const h2 = reading.headings.filter((h) => h.startsWith('H2 ')).map((h) => h.slice(3));
    expect(h2).toEqual(renderContent(content).map((s) => s.title));
    expect(reading.headings.filter((h) => h.startsWith('H3 ')).map((h) => h.slice(3))).toEqual([...HEADING_ORDER, 'Answer 1']);
  });

  it('puts judgements in heading order even from a revision stored in alphabetical order', async () => {
    const judgements = content.judgements as { area: string }[];
    const stored = { ...content, judgements: [...judgements].sort((a, b) => a.area.localeCompare(b.area)) };
    const reading = await checkPdf(await contentPdf(header, stored));
    expect(reading.headings.filter((h) => h.startsWith('H3 ')).map((h) => h.slice(3))).toEqual([...HEADING_ORDER, 'Answer 1']);
    const xml = await (await JSZip.loadAsync(await contentDocx(header, stored))).file('word/document.xml')!.async('string');
    const at = HEADING_ORDER.map((l) => xml.indexOf(`>${l}<`));
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('says what the Word note says, section by section', async () => {
    const [pdf, docx] = await Promise.all([contentPdf(header, content), contentDocx(header, content)]);
    const reading = await checkPdf(pdf);
    const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    const wordText = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
      .map((m) => m[1]!)
      .join('')
      .replace(/&amp;/g, '&')
      .replace(/&apos;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
    expect(reading.text.replace(/\s+/g, '')).toBe(wordText.replace(/\s+/g, ''));
    for (const section of renderContent(content)) expect(reading.headings).toContain(`H2 ${section.title}`);
  });

  it('writes dates in words and no doubled punctuation', async () => {
    const reading = await checkPdf(await contentPdf(header, content));
    expect(reading.text).toContain('6 March 2027');
    expect(reading.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(reading.text).not.toMatch(/\.[.:]\s/);
  });
});

describe('the PDF of an agenda', () => {
  const visit: VisitDocument = {
    visitId: '0b9d5d6e-1c1e-4c55-9f59-5d1e0b3c2a11',
    title: 'Spring visit - Arden Grove Primary School',
    when: 'Tuesday 4 February 2020, 09:00 to 12:00',
    location: 'Arden Grove Primary School, Mill Lane, Northmarsh',
    startsAt: new Date('2020-02-04T09:00:00Z'),
    endsAt: new Date('2020-02-04T12:00:00Z'),
    cancelled: false,
    items: [
      { number: 1, title: 'Welcome and the school’s priorities', detail: 'The headteacher’s summary of the self-evaluation.', meta: '15 min, Headteacher' },
      { number: 2, title: 'Joint lesson observation', detail: null, meta: '60 min, Partner' },
      { number: 3, title: 'Feedback and next steps', detail: 'Agree the recommendations.', meta: '30 min, Partner' },
    ],
  };

  it('passes the accessibility check, its items a list in order', async () => {
    const model = agendaDocument(visit);
    if (process.env.PDF_OUT) writeFileSync(join(process.env.PDF_OUT, 'agenda.pdf'), await agendaPdf(visit));
    const reading = await checkPdf(await agendaPdf(visit), {
      title: model.title,
      lang: 'en-GB',
      readingOrder: readingOrder(model),
      headings: [`H1 ${model.title}`],
    });
    expect(reading.problems).toEqual([]);
    expect(reading.text).toContain('Joint lesson observation (60 min, Partner)');
  });
});

/** pdfkit documents made to fail one checkpoint each. */
async function pdfkitDocument(options: Record<string, unknown>, draw: (doc: PDFKit.PDFDocument) => void): Promise<Uint8Array> {
  const doc = new PDFDocument({ pdfVersion: '1.7', ...options } as never);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  draw(doc);
  doc.end();
  return done;
}

const TAGGED = { tagged: true, lang: 'en-GB', displayTitle: true, subset: 'PDF/UA', info: { Title: 'A title' } };

describe('the accessibility check fails a PDF that breaks a checkpoint', () => {
  it('an untagged document: not marked, no structure tree, untagged content, no language, no title (shown), no PDF/UA identifier, a font not embedded', async () => {
    const pdf = await pdfkitDocument({}, (doc) => doc.text('Untagged words in Helvetica, a font the file does not carry.'));
    expect(checkpoints(await checkPdf(pdf))).toEqual(['01-005', '06-002', '06-003', '07-001', '11-006', 'UA-7.1', 'UA-7.21.4.1']);
  });

  it('a drawing left outside any marked content (01-005)', async () => {
    const pdf = await pdfkitDocument(TAGGED, (doc) => {
      const root = doc.struct('Document');
      doc.addStructure(root);
      root.add(doc.struct('H1', {}, [() => doc.font(fontPath()).text('A title')]));
      doc.moveTo(50, 200).lineTo(300, 200).stroke();
      root.end();
      doc.outline.addItem('A title');
    });
    expect(checkpoints(await checkPdf(pdf))).toEqual(['01-005']);
  });

  it('DisplayDocTitle missing (07-001) and the XMP title missing (06-003)', async () => {
    const pdf = await pdfkitDocument({ ...TAGGED, displayTitle: false, info: {} }, (doc) => {
      const root = doc.struct('Document');
      doc.addStructure(root);
      root.add(doc.struct('H1', {}, [() => doc.font(fontPath()).text('A title')]));
      root.end();
      doc.outline.addItem('A title');
    });
    expect(checkpoints(await checkPdf(pdf))).toEqual(['06-003', '07-001']);
  });

  it('headings: the first not H1 (14-002), a level skipped (14-003)', async () => {
    const pdf = await pdfkitDocument(TAGGED, (doc) => {
      const root = doc.struct('Document');
      doc.addStructure(root);
      doc.font(fontPath());
      root.add(doc.struct('H2', {}, [() => doc.text('Starts at two')]));
      root.add(doc.struct('H4', {}, [() => doc.text('Then four')]));
      root.end();
      doc.outline.addItem('Starts at two');
      doc.outline.addItem('Then four');
    });
    expect(checkpoints(await checkPdf(pdf))).toEqual(['14-002', '14-003']);
  });

  it('a table header without a scope (15-003), a cell outside a row (09-004), a list item outside a list (09-005)', async () => {
    const pdf = await pdfkitDocument(TAGGED, (doc) => {
      const root = doc.struct('Document');
      doc.addStructure(root);
      doc.font(fontPath());
      root.add(doc.struct('H1', {}, [() => doc.text('A title')]));
      const table = doc.struct('Table');
      root.add(table);
      const tr = doc.struct('TR');
      table.add(tr);
      tr.add(doc.struct('TH', {}, [() => doc.text('Heading')]));
      tr.end();
      table.add(doc.struct('TD', {}, [() => doc.text('A cell straight in the table')]));
      table.end();
      root.add(doc.struct('LI', {}, [() => doc.text('An item with no list')]));
      root.end();
      doc.outline.addItem('A title');
    });
    expect(checkpoints(await checkPdf(pdf))).toEqual(['09-004', '09-005', '15-003']);
  });

  it('a table without any header cell (15-003)', async () => {
    const pdf = await pdfkitDocument(TAGGED, (doc) => {
      const root = doc.struct('Document');
      doc.addStructure(root);
      doc.font(fontPath());
      root.add(doc.struct('H1', {}, [() => doc.text('A title')]));
      const table = doc.struct('Table');
      root.add(table);
      const tr = doc.struct('TR');
      table.add(tr);
      tr.add(doc.struct('TD', {}, [() => doc.text('Only data')]));
      tr.end();
      table.end();
      root.end();
      doc.outline.addItem('A title');
    });
    expect(checkpoints(await checkPdf(pdf))).toEqual(['15-003']);
  });

  it('a reading order that is not the content order (09-001), and a heading without a bookmark', async () => {
    const pdf = await renderPdf({ title: 'A title', lang: 'en-GB', creator: 'test', blocks: [{ kind: 'paragraph', text: 'Second' }] });
    const reading = await checkPdf(pdf, { title: 'A title', readingOrder: ['A title', 'First', 'Second'], headings: ['H1 A title'] });
    expect(checkpoints(reading)).toEqual(['09-001']);
    const noBookmark = await pdfkitDocument(TAGGED, (doc) => {
      const root = doc.struct('Document');
      doc.addStructure(root);
      root.add(doc.struct('H1', {}, [() => doc.font(fontPath()).text('A title')]));
      root.end();
    });
    expect(checkpoints(await checkPdf(noBookmark))).toEqual(['bookmarks']);
  });

  it('a language other than the one expected (11-006) and a title other than the one expected (06-003)', async () => {
    const pdf = await renderPdf({ title: 'A title', lang: 'fr-FR', creator: 'test', blocks: [] });
    expect(checkpoints(await checkPdf(pdf, { lang: 'en-GB', title: 'Another title' }))).toEqual(['06-003', '11-006']);
  });
});

const fontPath = () => createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf');

describe('a real note: heading order, dates in words, the PDF download guarded as the Word one', () => {
  let t: TestApp;
  let em: Em;
  beforeAll(async () => {
    t = await startTestApp();
    em = t.app.orm.em.fork() as Em;
  });
  afterAll(() => t?.stop());

  it('lists judgements in heading order in the API (read view and ORM), the content, the Word note and the headteacher’s page', async () => {
    const notes = await em.find(NoteOfVisit, {}, { populate: ['judgements'], limit: 50 });
    const note = notes.find((n) => n.judgements.length >= 4)!;
    expect(note, 'a demo note judging four headings or more').toBeTruthy();
    const labels = HEADING_ORDER.filter((l) => note.judgements.getItems().some((j) => JUDGEMENT_AREA_LABELS[j.area] === l));
    // Alphabetically these would start with Achievement, Behaviour and safety…: heading order puts Quality of teaching second.
    expect([...labels].sort()).not.toEqual(labels);
    const areas = JUDGEMENT_AREA_ORDER.filter((a) => labels.includes(JUDGEMENT_AREA_LABELS[a]));

    const view = await t.gql(`query($id: ID!) { note(id: $id) { judgements { area } } }`, { id: note.id });
    const orm = await t.gql(`query($id: ID!) { note(id: $id) { revisions { id } judgements { area } } }`, { id: note.id });
    const wanted = areas.map((a) => a.toUpperCase());
    expect(view.data!.note.judgements.map((j: { area: string }) => j.area)).toEqual(wanted);
    expect(orm.data!.note.judgements.map((j: { area: string }) => j.area)).toEqual(wanted);

    const fresh = await t.app.orm.em.fork().findOneOrFail(NoteOfVisit, { id: note.id });
    const loaded = await noteContent(fresh);
    expect((loaded.judgements as { area: string }[]).map((j) => j.area)).toEqual(areas);

    const page = contentHtml(renderContent(loaded)).value;
    const onPage = [...page.matchAll(/<h3>([^<]+)<\/h3>/g)].map((m) => m[1]!).filter((h) => labels.includes(h));
    expect(onPage).toEqual(labels);

    const xml = await (await JSZip.loadAsync(await contentDocx(header, loaded))).file('word/document.xml')!.async('string');
    const inWord = labels.map((l) => xml.indexOf(`>${l}<`));
    expect(inWord.every((i) => i > 0)).toBe(true);
    expect([...inWord].sort((a, b) => a - b)).toEqual(inWord);
  });

  it('writes the recommendations’ dates in words on the headteacher’s page and in Word', async () => {
    const withDue = { ...content };
    const page = contentHtml(renderContent(withDue)).value;
    expect(page).toContain('6 March 2027');
    expect(page).not.toContain('2027-03-06');
    const xml = await (await JSZip.loadAsync(await contentDocx(header, withDue))).file('word/document.xml')!.async('string');
    expect(xml).toContain('6 March 2027');
    expect(xml).not.toContain('2027-03-06');
  });

  it('answers a PDF download as it answers the Word one: refused to a service for a draft, not found for no note, a tagged PDF to its author', async () => {
    const draft = (await em.findOne(NoteOfVisit, { status: NoteStatus.DRAFT }, { populate: ['author'] }))!;
    const service = { authorization: `Bearer ${await t.serviceToken('Finance')}` };
    for (const path of [`/exports/notes/${draft.id}/note.docx`, `/exports/notes/${draft.id}/note.pdf`]) {
      const res = await fetch(`${t.url}${path}`, { headers: service });
      expect(res.status, path).toBe(403);
    }
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const path of [`/exports/notes/${missing}/note.pdf`, `/exports/visits/${missing}/agenda.pdf`]) {
      expect((await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${t.managerToken}` } })).status, path).toBe(404);
    }
    expect((await fetch(`${t.url}/exports/notes/${draft.id}/note.pdf`)).status).toBe(401);

    const author = { authorization: `Bearer ${await t.issuer.signForPerson(draft.author.getEntity().email)}` };
    const res = await fetch(`${t.url}/exports/notes/${draft.id}/note.pdf`, { headers: author });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="Note of visit - .+ - \d{4}-\d{2}-\d{2}\.pdf"/);
    const reading = await checkPdf(new Uint8Array(await res.arrayBuffer()), { lang: 'en-GB' });
    expect(reading.problems).toEqual([]);

    const visit = await draft.visit.loadOrFail();
    const agenda = await fetch(`${t.url}/exports/visits/${visit.id}/agenda.pdf`, { headers: author });
    expect(agenda.status).toBe(200);
    expect(agenda.headers.get('content-type')).toBe('application/pdf');
    expect(agenda.headers.get('content-disposition')).toMatch(/filename="Agenda - .+\.pdf"/);
    expect((await checkPdf(new Uint8Array(await agenda.arrayBuffer()), { lang: 'en-GB' })).problems).toEqual([]);
  });
});
