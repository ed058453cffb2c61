import { Button, Field, Input, Select, Text } from '@fluentui/react-components';
import { useId, useMemo, useState, type ReactNode } from 'react';
import { isoDay } from '../format.js';
import { csvFileName, downloadCsv, toCsv, type CsvValue } from './csv-export.js';
import './data-table.css';

export type SortDirection = 'ascending' | 'descending';
type SortValue = string | number | null | undefined;

export interface Column<Row> {
  id: string;
  /** The column's heading, also the CSV file's header for it. */
  header: string;
  /** The cell in words: what the filter box searches and, unless `csv` says otherwise, what the CSV holds. */
  text: (row: Row) => string;
  /** The cell as shown, when it is more than its words (a link, a badge, a list). */
  cell?: (row: Row) => ReactNode;
  /** What the column sorts by (numbers as numbers, dates as ISO text); default its words; `false`: not sortable. */
  sortValue?: ((row: Row) => SortValue) | false;
  /** The CSV cell: ISO dates rather than words, numbers as numbers; default its words. */
  csv?: (row: Row) => CsvValue;
  /** A choice filter (a dropdown of the column's values): `true` for its words, or the value to choose by. */
  choices?: boolean | ((row: Row) => string);
  /** The row's header cell (`<th scope="row">`): the column that names the row. */
  rowHeader?: boolean;
}

export interface DataTableProps<Row> {
  /** The table's caption: what it lists. */
  caption: string;
  /** Shown above the table rather than read by screen readers only (when no heading already says it). */
  showCaption?: boolean;
  /** What the rows are, in lower case ("late notes"): the filter's label and the CSV file's name. */
  name: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  /** Data attributes for a row (tests and styles find rows by them). */
  rowProps?: (row: Row) => Record<string, string | boolean | undefined>;
  /** The order before anyone sorts: a column, or (without) the order `rows` come in. */
  initialSort?: { column: string; direction: SortDirection };
  /** Said instead of the table when there are no rows at all. */
  emptyText: string;
  testId?: string;
}

const collator = new Intl.Collator('en-GB', { numeric: true, sensitivity: 'base' });

/** Empty values last whichever way the column is sorted; ties keep the rows' own order. */
function compare(a: SortValue, b: SortValue): number {
  const emptyA = a === null || a === undefined || a === '';
  const emptyB = b === null || b === undefined || b === '';
  if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

const choiceOf = <Row,>(column: Column<Row>, row: Row) => (typeof column.choices === 'function' ? column.choices(row) : column.text(row));

/**
 * Every table of the Teams app: a real `<table>` with a caption; sortable columns are buttons in
 * their headers with `aria-sort` on the sorted one; a filter box over every column's words and
 * dropdowns for the columns that have few values, each labelled; a live count ("12 of 40 shown");
 * and a CSV download of exactly what is shown, in the order shown, with the columns people see.
 */
export function DataTable<Row>({ caption, showCaption, name, columns, rows, rowKey, rowProps, initialSort, emptyText, testId }: DataTableProps<Row>) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [sort, setSort] = useState<{ column: string; direction: SortDirection } | null>(initialSort ?? null);

  const choiceColumns = columns.filter((c) => c.choices);
  const options = useMemo(
    () => new Map(choiceColumns.map((c) => [c.id, [...new Set(rows.map((r) => choiceOf(c, r)).filter(Boolean))].sort((a, b) => collator.compare(a, b))])),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rows, columns],
  );

  const shown = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const kept = rows
      .map((row, index) => ({ row, index }))
      .filter(({ row }) => {
        for (const c of choiceColumns) if (chosen[c.id] && choiceOf(c, row) !== chosen[c.id]) return false;
        if (!words.length) return true;
        const haystack = columns
          .map((c) => c.text(row))
          .join(' ')
          .toLowerCase();
        return words.every((w) => haystack.includes(w));
      });
    const column = sort && columns.find((c) => c.id === sort.column);
    if (column && column.sortValue !== false) {
      const value = column.sortValue ?? column.text;
      const sign = sort.direction === 'ascending' ? 1 : -1;
      kept.sort((a, b) => {
        const va = value(a.row);
        const vb = value(b.row);
        const empty = (v: SortValue) => v === null || v === undefined || v === '';
        // empty cells go last in either direction
        if (empty(va) || empty(vb)) return compare(va, vb) || a.index - b.index;
        return sign * compare(va, vb) || a.index - b.index;
      });
    }
    return kept.map(({ row }) => row);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, columns, query, chosen, sort]);

  if (rows.length === 0) return <Text>{emptyText}</Text>;

  const filtered = query.trim() !== '' || Object.values(chosen).some(Boolean);
  const toggleSort = (column: string) =>
    setSort((s) =>
      s?.column === column ? { column, direction: s.direction === 'ascending' ? 'descending' : 'ascending' } : { column, direction: 'ascending' },
    );
  const exportCsv = () =>
    downloadCsv(
      csvFileName(name, isoDay(new Date().toISOString())),
      toCsv(
        columns.map((c) => c.header),
        shown.map((row) => columns.map((c) => (c.csv ? c.csv(row) : c.text(row)))),
      ),
    );

  return (
    <div className="sv-data-table sv-stack" data-testid={testId ? `${testId}-box` : undefined}>
      <div className="sv-table-tools">
        <div className="sv-row sv-table-filters" role="group" aria-label={`Filter the ${name}`}>
          <Field label={`Find in ${name}`}>
            <Input type="search" value={query} onChange={(_e, d) => setQuery(d.value)} data-testid={testId ? `${testId}-find` : undefined} />
          </Field>
          {choiceColumns.map((c) => (
            <Field key={c.id} label={c.header}>
              <Select
                value={chosen[c.id] ?? ''}
                onChange={(_e, d) => setChosen((x) => ({ ...x, [c.id]: d.value }))}
                data-testid={testId ? `${testId}-filter-${c.id}` : undefined}
              >
                <option value="">All</option>
                {options.get(c.id)!.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </Select>
            </Field>
          ))}
          {filtered && (
            <Button
              onClick={() => {
                setQuery('');
                setChosen({});
              }}
            >
              Clear filters
            </Button>
          )}
        </div>
        <div className="sv-row">
          <Text role="status" id={`${id}-count`} data-testid={testId ? `${testId}-count` : undefined} className="sv-table-count">
            {shown.length} of {rows.length} shown
          </Text>
          <Button onClick={exportCsv} aria-describedby={`${id}-count`} data-testid={testId ? `${testId}-csv` : undefined}>
            Download CSV
          </Button>
        </div>
      </div>
      <div className="sv-table-wrap">
        <table className="sv-table" data-testid={testId}>
          <caption className={showCaption ? 'sv-table-caption' : 'sv-visually-hidden'}>{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => {
                const sorted = sort?.column === c.id ? sort.direction : undefined;
                return (
                  <th key={c.id} scope="col" aria-sort={sorted} data-column={c.id}>
                    {c.sortValue === false ? (
                      c.header
                    ) : (
                      <button type="button" className="sv-sort" onClick={() => toggleSort(c.id)}>
                        {c.header}
                        <span aria-hidden="true" className="sv-sort-mark">
                          {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : '↕'}
                        </span>
                      </button>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 ? (
              <tr>
                <td colSpan={columns.length}>Nothing matches these filters.</td>
              </tr>
            ) : (
              shown.map((row) => (
                <tr key={rowKey(row)} {...rowProps?.(row)}>
                  {columns.map((c) => {
                    const content = c.cell ? c.cell(row) : c.text(row);
                    return c.rowHeader ? (
                      <th key={c.id} scope="row" data-column={c.id}>
                        {content}
                      </th>
                    ) : (
                      <td key={c.id} data-column={c.id}>
                        {content}
                      </td>
                    );
                  })}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
