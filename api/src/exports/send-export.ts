import { refusedFields, type ServiceFieldPolicy } from '../platform/graphql/service-fields.plugin.js';
import { forbidden } from '../platform/errors.js';
import type { BulkExport, ExportContext } from './export-plan.js';
import { columnsFor, exportBatches, writtenColumns } from './export-table.js';
import { streamExport, type ExportFormat, type ExportResponse } from './export-writer.js';

/**
 * One bulk export for one request: the parameters read and checked, the principal's columns
 * and rows decided (all before the first byte, so a mistake or a refusal is an HTTP status),
 * then the rows streamed batch by batch.
 */
export async function sendBulkExport(
  context: ExportContext & { policy: ServiceFieldPolicy; today: string },
  bulk: BulkExport,
  format: ExportFormat,
  query: Record<string, unknown>,
  res: ExportResponse,
): Promise<void> {
  const { principal } = context.access;
  if (principal.kind === 'service') {
    const refused = refusedFields(context.policy, bulk.through, principal.roles);
    if (refused.length) throw forbidden(`This service may not read ${bulk.name}: ${refused.map((r) => r.field).join(', ')} is closed to it.`);
  }
  const plan = await bulk.plan(context, query);
  const columns = writtenColumns(context.schema, columnsFor(plan.columns, principal, context.policy));
  await streamExport(res, {
    format,
    fileName: `${bulk.name}-${context.today}.${format}`,
    columns,
    batches: exportBatches(context.em, columns, plan.source),
  });
}
