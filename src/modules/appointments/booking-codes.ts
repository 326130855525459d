/**
 * 预约码: 10 characters from an alphabet without look-alikes (no 0/O, 1/I), random from the system's CSPRNG.
 * 32 symbols: each byte's low five bits pick one without bias; 32^10 ≈ 10^15 codes, so a collision is rare
 * and the booking simply retries with a new code (the column is UNIQUE).
 */
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { InvalidParameterError } from '../../shared/errors.ts';

export const BOOKING_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const BOOKING_CODE_LENGTH = 10;
/** As typed or scanned: either case (normalised to upper case). */
export const BOOKING_CODE_PATTERN = '^[2-9A-HJ-NP-Za-hj-np-z]{10}$';
const CODE_RE = new RegExp(BOOKING_CODE_PATTERN);

export function newBookingCode(): string {
  const bytes = randomBytes(BOOKING_CODE_LENGTH);
  let out = '';
  for (const b of bytes) out += BOOKING_CODE_ALPHABET[b & 31];
  return out;
}

/** A booking code as given (trimmed, upper case), or 400 on the field. */
export function normaliseBookingCode(code: unknown, field = 'code'): string {
  const c = typeof code === 'string' ? code.trim().toUpperCase() : '';
  if (!CODE_RE.test(c)) throw new InvalidParameterError(field, '预约码格式不正确（10 位字母或数字）');
  return c;
}

/**
 * The booking code as an SVG QR code for check-in (the clerk's scanner reads the code itself). The SVG names
 * itself for screen readers.
 */
export async function bookingQrSvg(code: string): Promise<string> {
  const c = normaliseBookingCode(code);
  const svg = await QRCode.toString(c, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return svg.replace('<svg ', `<svg role="img" aria-label="预约码 ${c} 的二维码" `);
}
