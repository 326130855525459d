/**
 * 居民身份证号码 (GB 11643-1999): 6-digit address code + YYYYMMDD + 3-digit sequence + ISO 7064 MOD 11-2 check.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export type ResidentIdProblem = 'format' | 'birth_date' | 'checksum';

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Returns null when valid, else what is wrong. `today` bounds the birth date (no future births). */
export function checkResidentId(id: string, today: Date = new Date()): ResidentIdProblem | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1850 ||
    birth.getUTCFullYear() !== y ||
    birth.getUTCMonth() !== m - 1 ||
    birth.getUTCDate() !== d ||
    birth.getTime() > today.getTime()
  ) {
    return 'birth_date';
  }
  return residentIdCheckChar(id.slice(0, 17)) === id[17] ? null : 'checksum';
}

export function isValidResidentId(id: string): boolean {
  return checkResidentId(id) === null;
}

/** Sex from the sequence digit: odd = male, even = female. */
export function residentIdSex(id: string): 'male' | 'female' {
  return Number(id[16]) % 2 === 1 ? 'male' : 'female';
}

/** Masks a resident ID for display where the purpose does not need it: 110105********002X. */
export function maskResidentId(id: string): string {
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : '*'.repeat(id.length);
}
