/**
 * The headers an applicant's file is sent with. The bytes were checked at upload, and the type sent is the
 * detected one with `nosniff`, so a browser never renders a file as a page of this site; on top of that the
 * response runs with an empty content policy in a sandbox (no scripts, no same-origin access), is framed only
 * by this site's own pages (previews on the staff detail page) and is never cached.
 * An inline PDF goes without `sandbox`: Chromium and Safari refuse to start their PDF viewer in a sandboxed
 * document, and a verified PDF with a fixed type cannot turn into HTML.
 */
import { ACCEPTED_MEDIA_TYPES } from './attachments.types.ts';
import { contentDisposition } from './file-names.ts';

const BASE_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** Opened in the browser only when asked (`?inline=1`) and only for PDFs and images. */
export function isInlineable(mediaType: string): boolean {
  return (ACCEPTED_MEDIA_TYPES as Record<string, { previewable: boolean }>)[mediaType]?.previewable === true;
}

export function attachmentHeaders(file: { fileName: string; mediaType: string }, wantInline: boolean): Record<string, string> {
  const inline = wantInline && isInlineable(file.mediaType);
  return {
    'content-type': file.mediaType,
    'content-disposition': contentDisposition(file.fileName, inline),
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
    'content-security-policy': inline && file.mediaType === 'application/pdf' ? BASE_POLICY : `${BASE_POLICY}; sandbox`,
    'x-frame-options': 'SAMEORIGIN',
    'cross-origin-resource-policy': 'same-origin',
  };
}
