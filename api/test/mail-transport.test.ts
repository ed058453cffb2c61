import { randomUUID } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/platform/logger.js';
import { createMailTransport } from '../src/platform/mail/mail-transport.js';
import { TEST_DATA_ROOT } from './support/test-database.js';

const outboxDir = path.join(TEST_DATA_ROOT, `outbox-${randomUUID()}`);
afterAll(() => rm(outboxDir, { recursive: true, force: true }));

describe('the development mail transport', () => {
  it('writes each message as an .eml file a mail program can open', async () => {
    const transport = createMailTransport(
      { transport: 'file', outboxDir, from: 'School improvement <si@council.example>' },
      createLogger({ logLevel: 'silent', env: 'test' }),
    );
    await transport.send({
      id: randomUUID(),
      to: 'head@school.example',
      subject: 'Draft note of visit',
      text: 'Please respond: http://127.0.0.1:4000/school/response/abc.def',
    });
    const [file] = await readdir(outboxDir);
    expect(file).toMatch(/\.eml$/);
    const eml = await readFile(path.join(outboxDir, file!), 'utf8');
    expect(eml).toMatch(/^From: School improvement <si@council\.example>$/m);
    expect(eml).toMatch(/^To: head@school\.example$/m);
    expect(eml).toMatch(/^Subject: Draft note of visit$/m);
    expect(eml).toContain('http://127.0.0.1:4000/school/response/abc.def');
  });

  it("writes attachments and the recipient's name into the message as SMTP would carry them", async () => {
    const dir = path.join(outboxDir, 'attachments');
    const transport = createMailTransport(
      { transport: 'file', outboxDir: dir, from: 'School improvement <si@council.example>' },
      createLogger({ logLevel: 'silent', env: 'test' }),
    );
    const content = Buffer.from('PK\u0003\u0004 a Word document');
    await transport.send({
      id: randomUUID(),
      to: 'chair@school.example',
      toName: 'Ben Best',
      subject: 'Note of visit',
      text: 'Please find attached the note of visit.',
      attachments: [
        {
          filename: 'Note of visit - Arden Grove - 2020-02-04.docx',
          contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          content,
        },
      ],
    });
    const [file] = await readdir(dir);
    const eml = (await readFile(path.join(dir, file!), 'utf8')).replace(/\n(?=[ \t])/g, ''); // headers unfolded
    expect(eml).toMatch(/^To: Ben Best <chair@school\.example>$/m);
    expect(eml).toMatch(/^Content-Type: multipart\/mixed;/m);
    expect(eml).toMatch(/^Content-Type: *application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.document;/m);
    expect(eml).toMatch(/^Content-Disposition: attachment;/m);
    expect(eml).toContain('filename="Note of visit - Arden Grove - 2020-02-04.docx"');
    expect(eml).toContain(content.toString('base64'));
  });
});
