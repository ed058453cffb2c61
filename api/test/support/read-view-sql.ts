/**
 * Telling, from the SQL a request sent (TestApp.sql, as the ORM's logger writes it:
 * values in place), which path answered it: a query's read view sends ONE statement
 * of its own shape (visits/visit.queries.ts, notes/note.queries.ts,
 * notes/overdue-notes.queries.ts); the ORM's path sends statements the ORM builds, each
 * table quoted and aliased (`from "visit" as "v0"`), and a note's collections in
 * one statement of their own (notes/note-children.ts).
 */

export type HotRoot = 'visits' | 'note' | 'overdueNotes';

/** Each read view's one statement, by its shape. */
export const VIEW_STATEMENT: Record<HotRoot, RegExp> = {
  // with [scope as (the principal's schools),] ids as (the page) select (the total) as total, <visit>, <school>, <note>, <agenda> from (select 1) one left join (ids join visit v …)
  visits:
    /^with (scope as \(.*\), )?ids as \(.* as total, json_build_object\(.* from \(select 1\) one left join \(ids join visit v on v\.id = ids\.id\) on true order by ids\.starts_at desc, ids\.id desc$/s,
  // select v.school_id, <note> [, <visit>, <school>, <author>, <collections>] from note_of_visit n join visit v on v.id = n.visit_id where n.id = <id>
  note: /^select v\.school_id, json_build_object\(.* from note_of_visit n join visit v on v\.id = n\.visit_id where n\.id = '[^']*'$/s,
  // select v.school_id, <note>, … <partner> as partner from note_of_visit n join visit v … join partner a … where n.id in (the late notes) order by …
  overdueNotes:
    /^select v\.school_id, json_build_object\(.* as partner\s+from note_of_visit n join visit v on v\.id = n\.visit_id join partner a on a\.id = n\.author_id\s+where n\.id in \(select n\.id from note_of_visit n .*\)\s+order by n\.circulation_due_on, n\.id$/s,
};

/**
 * Statements a request may send besides its read view's, each for a reason of its own;
 * any other statement alongside a read view (e.g. an ORM-built select of a visit, a
 * note or its children) means some of the request went the ORM's way.
 */
export const SIDE_STATEMENTS: { what: string; shape: RegExp }[] = [
  { what: "sign-in: the caller's partner record (when not remembered)", shape: /^select \* from partner where email = '[^']*' and active = true$/ },
  // visit.queries.ts checkVisitFilter: a filter naming a partner or school that does not exist is NOT_FOUND (a read statement, no entity)
  { what: 'visits(filter: { partnerId }): the partner must exist', shape: /^select id from partner where id = '[^']*'$/ },
  { what: 'visits(filter: { schoolId }): the school must exist', shape: /^select id from school where id = '[^']*'$/ },
  {
    what: "a partner's schools, for AccessPolicy.assertCanSeeSchoolRecords (their allocations in the configured years, the completed visits they attended)",
    shape:
      /^select school_id from allocation where partner_id = '[^']*' and academic_year >= '[^']*'\s+union select school_id from visit where lead_partner_id = '[^']*' and status = 'completed' and starts_at <= '[^']*'\s+union select v\.school_id from visit_attendee a join visit v on v\.id = a\.visit_id where a\.partner_id = '[^']*' and v\.status = 'completed' and v\.starts_at <= '[^']*'$/,
  },
  {
    what: 'AccessPolicy.assertCanSeeVisit: a visit the partner attends at a school not otherwise theirs',
    shape:
      /^select 1 from visit x where x\.id = '[^']*' and \(x\.lead_partner_id = '[^']*' or exists \(select 1 from visit_attendee own where own\.visit_id = x\.id and own\.partner_id = '[^']*'\)\)$/,
  },
  {
    what: 'the working calendar (note deadlines), once a request',
    shape: /^select to_char\(date, 'YYYY-MM-DD'\) as date, reason from council_closure_day order by date$/,
  },
];

export interface PathVerdict {
  /** 'view' when exactly one statement is the read view's and every other is a side statement. */
  path: 'view' | 'orm';
  view: string | undefined;
  /** Statements neither the view's nor side statements (the ORM's, for a request off the fast path). */
  other: string[];
}

export function pathOf(root: HotRoot, statements: readonly string[]): PathVerdict {
  const views = statements.filter((s) => VIEW_STATEMENT[root].test(s));
  const other = statements.filter((s) => !VIEW_STATEMENT[root].test(s) && !SIDE_STATEMENTS.some((side) => side.shape.test(s)));
  return { path: views.length === 1 && other.length === 0 ? 'view' : 'orm', view: views[0], other };
}

/** Whether any statement is some read view's (for requests that must not take one). */
export function anyViewStatement(statements: readonly string[]): string | undefined {
  return statements.find((s) => Object.values(VIEW_STATEMENT).some((shape) => shape.test(s)));
}

/**
 * A statement's text with the values that differ from run to run (or with TEST_NOW)
 * replaced by what they are: ids, dates and instants. Numbers (page sizes) stay.
 */
export function normaliseValues(sql: string): string {
  return (
    sql
      .replace(/'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'/gi, ':id')
      .replace(/'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?'/g, ':instant')
      .replace(/'\d{4}-\d\d-\d\d'/g, ':date')
      // an academic year ("2025-26": the earliest whose allocations count, moving with TEST_NOW)
      .replace(/'\d{4}-\d\d'/g, ':academicYear')
      .replace(/'[^'@\s]+@[^'\s]+'/g, ':email')
  );
}

const CLAUSES = ['with', 'select', 'from', 'where', 'order by', 'group by', 'limit', 'union', 'left join', 'inner join', 'cross join lateral', 'join'];

/**
 * One clause a line, indented by how deep in parentheses it is, and a JSON object's
 * pairs one a line: a field a request newly reads is a line added in the diff.
 * A formatter for review, not a parser: it knows quotes, parentheses and the words above.
 */
export function formatSql(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  let out = '';
  let depth = 0;
  /** The json_build_object calls open: their depth, and the commas seen (key, value, key, value…). */
  const objects: { depth: number; commas: number }[] = [];
  /** Whether each open parenthesis is a function's (json_agg(c order by …) stays on its line) rather than a subquery's. */
  const calls: boolean[] = [];
  /** The clause last begun at each depth: a select list is a column a line, indented under its select. */
  const clauseAt: (string | undefined)[] = [];
  const inObject = () => objects.at(-1)?.depth === depth;
  /** A new line: for a clause at this depth, or for what goes on inside one (a column, a pair). */
  const newline = (inside: boolean) => {
    let indent = depth;
    for (let d = 0; d < depth; d += 1) if (clauseAt[d] === 'select') indent += 1;
    if (inside && clauseAt[depth] === 'select') indent += 1;
    out = out.trimEnd();
    if (out) out += `\n${'  '.repeat(indent)}`;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      out += text.slice(i, end + 1);
      i = end + 1;
    } else if (c === '(') {
      const object = /(json_build_object|jsonb_build_object)$/.test(out);
      calls.push(/[\w"]$/.test(out));
      out += c;
      depth += 1;
      clauseAt[depth] = undefined;
      i += 1;
      if (object) {
        objects.push({ depth, commas: 0 });
        newline(true);
      }
    } else if (c === ')') {
      calls.pop();
      const closesObject = inObject();
      if (closesObject) objects.pop();
      depth -= 1;
      if (closesObject) newline(true);
      out += c;
      i += 1;
    } else if (c === ',' && (inObject() ? ++objects.at(-1)!.commas % 2 === 0 : clauseAt[depth] === 'select' && !calls.at(-1))) {
      // a JSON object's key and value a line; a select list's column a line
      out += c;
      i += 1;
      newline(true);
      while (text[i] === ' ') i += 1;
    } else {
      const atWord = i === 0 || /[\s(]/.test(text[i - 1]!);
      const clause =
        atWord && !inObject() && !calls.at(-1) ? CLAUSES.find((k) => text.startsWith(k, i) && /[\s(]|$/.test(text[i + k.length] ?? '')) : undefined;
      if (clause) {
        clauseAt[depth] = undefined;
        newline(false);
        clauseAt[depth] = clause;
        out += clause;
        i += clause.length;
      } else {
        out += c;
        i += 1;
      }
    }
  }
  return `${out.trimEnd()}\n`;
}
