/** Masking of personal data shown to the public (核验页面): names and ID numbers, as printed on receipts. */
import { maskResidentId } from '../../shared/codes/resident-id.ts';

/** 张三 → 张*, 李小华 → 李*华, 欧阳小明 → 欧**明. */
export function maskPersonName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.length ? '*' : '';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** 330106199003071234 → 330106********1234 (an 18-character resident ID or credit code); shorter numbers keep less. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length === 18) return maskResidentId(s); // the same 6 + 8 + 4 shape serves a credit code
  if (s.length >= 15) return `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}`;
  if (s.length >= 6) return `${s.slice(0, 2)}${'*'.repeat(s.length - 4)}${s.slice(-2)}`;
  return '*'.repeat(s.length);
}

/** The holder's name as the public may see it: a person's is masked; an enterprise's is public (企业信息公示). */
export function publicHolderName(name: string, holderType: 'person' | 'enterprise'): string {
  return holderType === 'person' ? maskPersonName(name) : name;
}
