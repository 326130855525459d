/**
 * The browser copy of the form validation (/assets/forms.js): client/forms-client.ts and what it imports —
 * the same validateStep the server runs — bundled by esbuild on the first request and kept in memory.
 * Bundling for the browser platform fails on any Node import, so the shared code stays isomorphic.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface FormsBundle {
  code: string;
  etag: string;
}

const ENTRY = fileURLToPath(new URL('./client/forms-client.ts', import.meta.url));

let pending: Promise<FormsBundle> | undefined;

/** The bundle, built once per process (a failed build is tried again on the next request). */
export function formsBundle(): Promise<FormsBundle> {
  pending ??= buildFormsBundle().catch((err: unknown) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

export async function buildFormsBundle(): Promise<FormsBundle> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const etag = `"${createHash('sha256').update(code).digest('base64url').slice(0, 27)}"`;
  return { code, etag };
}
