/** How form fields are named in HTML (isomorphic: the page and the browser bundle agree through this). */

/** The element id of a field path: `members[2].name` → `f-members-2-name`, `site.detail` → `f-site-detail`. */
export function fieldDomId(path: string): string {
  return `f-${path.replace(/\[(\d+)\]/g, '.$1').replace(/\./g, '-')}`;
}

/** The posted name of a field path: `members[2].name` → `f.members.2.name`. */
export function fieldInputName(path: string): string {
  return `f.${path.replace(/\[(\d+)\]/g, '.$1')}`;
}

/** A path that names a whole table row (`members[2]`) is shown at the table (`members`). */
export function displayPath(path: string): string {
  return /^[A-Za-z][A-Za-z0-9_]*\[\d+\]$/.test(path) ? path.replace(/\[\d+\]$/, '') : path;
}
