/**
 * Turns a posted HTML form (application/x-www-form-urlencoded, as rendered by renderFormStep) back into form
 * data. Isomorphic: the browser bundle reads the page's inputs through it too.
 *
 * Names: `f.<key>` (a field; repeated for a multiselect), `f.<key>.regionCode` / `f.<key>.detail` (an address),
 * `f.<key>.<row>.<col>` (a table cell). Multiselects and tables also post an empty `f.<key>` marker, so a step
 * that cleared them is told apart from a step that did not show them. Buttons: `_add_row=<key>` adds a blank
 * row to a table, `_remove_row=<key>.<row>` removes one (both work without JavaScript).
 *
 * The data holds only the fields the post carried, as strings (validateFormData coerces them); merge it over
 * what was saved: `{ ...draft, ...data }`. Blank table rows are kept (so row numbers match what the page shows;
 * validation ignores them).
 */
import type { FormDefinition } from './form.types.ts';

export type PostBody = Record<string, string | string[] | undefined>;

/** A table row added or removed by a button instead of a real submission: show the step again. */
export interface RowAction {
  kind: 'add' | 'remove';
  field: string;
  row?: number;
}

export interface ParsedPost {
  data: Record<string, unknown>;
  rowAction: RowAction | null;
}

/** Rows a post may carry per table, whatever its indexes say (the rest are ignored). */
const MAX_POSTED_ROWS = 500;

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

export function parseFormPost(form: FormDefinition, body: PostBody | null | undefined): ParsedPost {
  const b: PostBody = body && typeof body === 'object' ? body : {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(b, k) && b[k] !== undefined;
  const data: Record<string, unknown> = {};
  const fields = form.steps.flatMap((s) => s.fields);

  // table cells, grouped once: f.<key>.<row>.<col>
  const cells = new Map<string, Map<number, Record<string, unknown>>>();
  const tables = new Map(fields.filter((f) => f.type === 'table').map((f) => [f.key, f]));
  for (const name of Object.keys(b)) {
    const m = /^f\.([A-Za-z][A-Za-z0-9_]*)\.(\d{1,6})\.([A-Za-z][A-Za-z0-9_]*)$/.exec(name);
    if (!m) continue;
    const table = tables.get(m[1]!);
    if (!table || !table.columns?.some((c) => c.key === m[3])) continue;
    let rows = cells.get(table.key);
    if (!rows) cells.set(table.key, (rows = new Map()));
    const row = Number(m[2]);
    if (!rows.has(row) && rows.size >= MAX_POSTED_ROWS) continue;
    let cellsOfRow = rows.get(row);
    if (!cellsOfRow) rows.set(row, (cellsOfRow = {}));
    cellsOfRow[m[3]!] = b[name];
  }

  for (const f of fields) {
    const name = `f.${f.key}`;
    switch (f.type) {
      case 'attachment':
        break;
      case 'table': {
        const rows = cells.get(f.key);
        if (rows || has(name)) data[f.key] = rows ? [...rows.entries()].sort((x, y) => x[0] - y[0]).map(([, r]) => r) : [];
        break;
      }
      case 'address':
        if (has(`${name}.regionCode`) || has(`${name}.detail`)) {
          data[f.key] = { regionCode: first(b[`${name}.regionCode`]) ?? '', detail: first(b[`${name}.detail`]) ?? '' };
        }
        break;
      case 'multiselect':
        if (has(name)) {
          const v = b[name];
          data[f.key] = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
        }
        break;
      default:
        if (has(name)) data[f.key] = b[name];
    }
  }

  let rowAction: RowAction | null = null;
  const add = first(b._add_row);
  const remove = first(b._remove_row);
  if (add && tables.has(add)) {
    const t = tables.get(add)!;
    const rows = Array.isArray(data[add]) ? (data[add] as unknown[]) : [];
    if (t.maxRows === undefined || rows.length < t.maxRows) data[add] = [...rows, {}];
    else data[add] = rows;
    rowAction = { kind: 'add', field: add };
  } else if (remove) {
    const m = /^([A-Za-z][A-Za-z0-9_]*)\.(\d{1,6})$/.exec(remove);
    if (m && tables.has(m[1]!)) {
      const key = m[1]!;
      const row = Number(m[2]);
      const rows = Array.isArray(data[key]) ? [...(data[key] as unknown[])] : [];
      if (row < rows.length) rows.splice(row, 1);
      data[key] = rows;
      rowAction = { kind: 'remove', field: key, row };
    }
  }
  return { data, rowAction };
}
