/** Migrations are code, listed here in order; Kysely's migrator takes an advisory lock, so several servers can start at once. */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001_catalogue.ts';
import * as m0002 from './migrations/0002_audit.ts';
import * as m0003 from './migrations/0003_revision_triggers.ts';
import * as m0004 from './migrations/0004_identity.ts';
import * as m0005 from './migrations/0005_audit_on_behalf.ts';
import * as m0006 from './migrations/0006_applications.ts';
import * as m0007 from './migrations/0007_convenience.ts';
import * as m0008 from './migrations/0008_data_exchange.ts';
import * as m0009 from './migrations/0009_once_only.ts';
import * as m0010 from './migrations/0010_three_lists.ts';
import * as m0011 from './migrations/0011_data_records_history.ts';
import * as m0012 from './migrations/0012_evidence_indexes.ts';
import * as m0013 from './migrations/0013_notification_sms_lease.ts';
import * as m0014 from './migrations/0014_audit_row_bounds.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001_catalogue': m0001,
  '0002_audit': m0002,
  '0003_revision_triggers': m0003,
  '0004_identity': m0004,
  '0005_audit_on_behalf': m0005,
  '0006_applications': m0006,
  '0007_convenience': m0007,
  '0008_data_exchange': m0008,
  '0009_once_only': m0009,
  '0010_three_lists': m0010,
  '0011_data_records_history': m0011,
  '0012_evidence_indexes': m0012,
  '0013_notification_sms_lease': m0013,
  '0014_audit_row_bounds': m0014,
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
