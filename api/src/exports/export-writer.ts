import type { ServerResponse } from 'node:http';
import { CSV_BOM, csvRows } from '../platform/http/csv.js';
import type { WrittenColumn } from './export-table.js';

export type ExportFormat = 'csv' | 'ndjson';

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** The response an export is written to: Node's, with the request's logger (platform/http/request-log.ts). */
export type ExportResponse = ServerResponse & { req: { log?: { error(o: object, m: string): void } } };

/** The client went away mid-export: nothing more to send, nothing to report. */
class ClientGone extends Error {}

/**
 * Writes a chunk and waits while the response's buffer is full ('drain'): a slow reader slows
 * the reading of rows instead of the rows piling up in memory.
 */
function write(res: ServerResponse, chunk: string): Promise<void> {
  if (res.destroyed) return Promise.reject(new ClientGone());
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const drained = () => {
      res.off('close', closed);
      resolve();
    };
    const closed = () => {
      res.off('drain', drained);
      reject(new ClientGone());
    };
    res.once('drain', drained);
    res.once('close', closed);
  });
}

function encode(format: ExportFormat, columns: readonly WrittenColumn[], rows: unknown[][]): string {
  const values = rows.map((row) => columns.map((c, i) => c.write(row[i])));
  if (format === 'csv') return csvRows(values);
  return values.map((v) => `${JSON.stringify(Object.fromEntries(columns.map((c, i) => [c.key, v[i]])))}\n`).join('');
}

/**
 * Streams an export: the first batch is read before anything is sent, so a refusal or a
 * database that cannot answer is still an HTTP status; then the headers (a file to save, never
 * cached), the CSV's byte order mark and header row, and each batch as it is read. A failure
 * after the first byte cannot become a status: the connection is then cut without the chunked
 * body's last chunk, which every HTTP client reports as an incomplete body (docs/api.md,
 * "Bulk export"), rather than ending it as if the file were whole.
 */
export async function streamExport(
  res: ExportResponse,
  { format, fileName, columns, batches }: { format: ExportFormat; fileName: string; columns: readonly WrittenColumn[]; batches: AsyncGenerator<unknown[][]> },
): Promise<void> {
  const first = await batches.next();
  res.statusCode = 200;
  res.setHeader('Content-Type', EXPORT_CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  try {
    if (format === 'csv') await write(res, `${CSV_BOM}${csvRows([columns.map((c) => c.header)])}`);
    if (!first.done) {
      await write(res, encode(format, columns, first.value));
      for await (const rows of batches) await write(res, encode(format, columns, rows));
    }
    res.end();
  } catch (error) {
    await batches.return(undefined);
    if (error instanceof ClientGone) return;
    res.req.log?.error({ err: error }, 'bulk export failed after its first rows were sent: connection cut');
    res.destroy();
  }
}
