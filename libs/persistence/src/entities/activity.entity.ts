import { EntitySchema } from 'typeorm';
import { DIALECT_COLUMN_TYPES, type SqlDialectName } from './column-types';

/** A row of `activities`: an activity external workers poll with GetActivityTask. */
export interface ActivityRow {
  activityArn: string;
  name: string;
  creationDate: Date | string;
}

/** The `activities` table. */
export function activityEntity(dialect: SqlDialectName): EntitySchema<ActivityRow> {
  const types = DIALECT_COLUMN_TYPES[dialect];
  return new EntitySchema<ActivityRow>({
    name: 'Activity',
    tableName: 'activities',
    columns: {
      activityArn: { name: 'activity_arn', type: 'text', primary: true, primaryKeyConstraintName: 'pk_activities' },
      name: { name: 'name', type: 'text' },
      creationDate: { name: 'creation_date', ...types.timestamp },
    },
  });
}
