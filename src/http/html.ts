/**
 * A tagged template for server-rendered HTML that escapes every interpolated value unless it is already
 * trusted markup (the result of html`` or raw()). Arrays are joined.
 */
const TRUSTED = Symbol('trusted-html');

export interface Html {
  readonly [TRUSTED]: true;
  readonly value: string;
  toString(): string;
}

function trusted(value: string): Html {
  return { [TRUSTED]: true, value, toString: () => value };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (typeof v === 'object' && TRUSTED in (v as object)) return (v as Html).value;
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return trusted(out);
}

/** Markup that is trusted as it is (use only for constant strings). */
export function raw(s: string): Html {
  return trusted(s);
}
