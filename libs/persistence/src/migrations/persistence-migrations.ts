import type { MigrationInterface } from 'typeorm';
import type { SqlDialectName } from '../entities/column-types';
import { InitialSchemaPostgres1764201600000 } from './postgres/1764201600000-initial-schema.migration';
import { TaskTimeoutsAndTagsPostgres1795734600000 } from './postgres/1795734600000-task-timeouts-and-tags.migration';
import { InitialSchemaSqlite1764201600000 } from './sqlite/1764201600000-initial-schema.migration';
import { TaskTimeoutsAndTagsSqlite1795734600000 } from './sqlite/1795734600000-task-timeouts-and-tags.migration';

/** The migrations of each dialect, oldest first. The SQL differs, so each dialect has its own set. */
export const PERSISTENCE_MIGRATIONS: Readonly<Record<SqlDialectName, readonly (new () => MigrationInterface)[]>> = {
  postgres: [InitialSchemaPostgres1764201600000, TaskTimeoutsAndTagsPostgres1795734600000],
  sqlite: [InitialSchemaSqlite1764201600000, TaskTimeoutsAndTagsSqlite1795734600000],
};
