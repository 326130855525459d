/**
 * Readable application numbers (办件编号): region code, date and a sequence of the region and day,
 * e.g. 330106-20261207-000123. Each server reserves a block of sequence numbers at a time with one atomic
 * upsert, so numbers are unique across servers without a lock per submission; the numbers left in a block when
 * a server stops are never used (gaps are allowed, duplicates never).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

const BLOCK = 200;

interface Block {
  next: number;
  end: number; // exclusive
}

class NumberAllocator {
  private readonly blocks = new Map<string, Block>();
  private readonly pending = new Map<string, Promise<Block>>();
  constructor(private readonly db: Kysely<DB>) {}

  async next(regionCode: string, day: string): Promise<string> {
    const key = `${regionCode}|${day}`;
    for (;;) {
      const b = this.blocks.get(key);
      if (b && b.next < b.end) return format(regionCode, day, b.next++);
      let p = this.pending.get(key);
      if (!p) {
        p = this.reserve(regionCode, day).finally(() => this.pending.delete(key));
        this.pending.set(key, p);
        // keep only today's blocks
        if (this.blocks.size > 64) this.blocks.clear();
      }
      this.blocks.set(key, await p);
    }
  }

  private async reserve(regionCode: string, day: string): Promise<Block> {
    const { rows } = await sql<{ next_value: number }>`
      INSERT INTO application_number_blocks AS b (region_code, day, next_value) VALUES (${regionCode}, ${day}, ${BLOCK + 1})
      ON CONFLICT (region_code, day) DO UPDATE SET next_value = b.next_value + ${BLOCK}
      RETURNING next_value`.execute(this.db);
    const end = Number(rows[0]!.next_value);
    return { next: end - BLOCK, end };
  }
}

function format(regionCode: string, day: string, seq: number): string {
  return `${regionCode}-${day.replaceAll('-', '')}-${String(seq).padStart(6, '0')}`;
}

const allocators = new WeakMap<object, NumberAllocator>();

/** The next number for a region and day ('YYYY-MM-DD', China time). Call outside any open transaction. */
export function nextApplicationNumber(db: Kysely<DB>, regionCode: string, day: string): Promise<string> {
  let a = allocators.get(db);
  if (!a) allocators.set(db, (a = new NumberAllocator(db)));
  return a.next(regionCode, day);
}

/** The shape of a number, for validating input. */
export const APPLICATION_NUMBER_PATTERN = '^[0-9]{6}-[0-9]{8}-[0-9]{6}$';
