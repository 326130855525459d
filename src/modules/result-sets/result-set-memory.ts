/**
 * Published result sets held in this server's memory, so that a query on release day needs no database read.
 * (Skeleton: filled in by the query service; `refreshNow` re-reads what changed.)
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export class ResultSetMemory {
  constructor(private readonly db: Kysely<DB>) {}

  /** Re-reads the sets whose revision moved (after a publication, withdrawal or a finished load on this server). */
  async refreshNow(): Promise<void> {
    void this.db;
  }

  stop(): void {}
}
