/** Deterministic pseudo-randomness for the demo seed: the same input always yields the same data. */
export function hash32(text: string): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function pick<T>(list: readonly T[], key: string): T {
  return list[hash32(key) % list.length]!;
}

export function digits(key: string, count: number): string {
  let out = '';
  let h = hash32(key);
  while (out.length < count) {
    out += String(h % 10);
    h = Math.floor(h / 10) || hash32(`${key}#${out.length}`);
  }
  return out;
}
