/**
 * File names as shown and as sent back: the uploader's name, cleaned (no path, no control or bidirectional
 * override characters, bounded length), with an extension that matches the detected content; and the
 * `Content-Disposition` header with an RFC 5987 / RFC 6266 UTF-8 name and an ASCII fallback.
 */
import type { AcceptedMediaType } from './attachments.types.ts';
import { ACCEPTED_MEDIA_TYPES } from './attachments.types.ts';

const EXTENSIONS: Record<AcceptedMediaType, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe'],
  'image/png': ['png'],
  'application/ofd': ['ofd'],
};

const MAX_NAME_CHARS = 120;

/** The name to store and show for an upload whose content is `mediaType`. */
export function safeFileName(given: string | undefined, mediaType: AcceptedMediaType): string {
  const ext = ACCEPTED_MEDIA_TYPES[mediaType].extension;
  let name = (given ?? '').normalize('NFC');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  // control characters, and the bidirectional overrides that make "exe.pdf" look like "fdp.exe"
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  name = name.replace(/\s+/g, ' ').trim().replace(/^\.+/, '');
  const dot = name.lastIndexOf('.');
  const givenExt = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  let base = EXTENSIONS[mediaType].includes(givenExt) ? name.slice(0, dot) : name;
  const suffix = EXTENSIONS[mediaType].includes(givenExt) ? givenExt : ext;
  const chars = [...base.trim()];
  if (chars.length > MAX_NAME_CHARS) base = chars.slice(0, MAX_NAME_CHARS).join('');
  base = base.trim();
  return `${base || '材料'}.${suffix}`;
}

/** RFC 5987 `value-chars`: UTF-8, percent-encoded except attr-char. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function contentDisposition(fileName: string, inline: boolean): string {
  const fallback = fileName.replace(/[^\x20-\x7e]+/g, '_').replace(/["\\%;]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${rfc5987(fileName)}`;
}
