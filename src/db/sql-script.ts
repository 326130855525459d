import { sql, type Kysely } from 'kysely';

/**
 * Runs a migration script one statement at a time (PGlite's extended protocol takes one statement per
 * query). Statements end with ';' at the end of a line; '$$' bodies and comment lines are respected.
 */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let inDollar = false;
  for (const line of script.split('\n')) {
    if (!inDollar && /^\s*--/.test(line)) continue;
    current.push(line);
    const dollars = line.split('$$').length - 1;
    if (dollars % 2 === 1) inDollar = !inDollar;
    if (!inDollar && /;\s*$/.test(line)) {
      const stmt = current.join('\n').trim().replace(/;$/, '');
      if (stmt) out.push(stmt);
      current = [];
    }
  }
  const rest = current.join('\n').trim();
  if (rest) out.push(rest);
  return out;
}

export async function runScript(db: Kysely<any>, script: string): Promise<void> {
  for (const stmt of splitStatements(script)) await sql.raw(stmt).execute(db);
}
