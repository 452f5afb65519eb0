import { EntitySchema } from 'typeorm';
import { DIALECT_COLUMN_TYPES, type SqlDialectName } from './column-types';

/** A row of `activity_tasks`: a task scheduled on an activity, handed to one worker at most. */
export interface ActivityTaskRow {
  taskToken: string;
  /** No foreign key: a task scheduled on an activity deleted meanwhile must not make the step's commit fail. */
  activityArn: string;
  executionArn: string;
  /** The task's input as JSON text. */
  input: string;
  createdAt: Date | string;
  /** Set when a worker claims the task. */
  workerName: string | null;
  claimedDate: Date | string | null;
}

/** The `activity_tasks` table; a partial index keeps the unclaimed tasks of an activity in order. */
export function activityTaskEntity(dialect: SqlDialectName): EntitySchema<ActivityTaskRow> {
  const types = DIALECT_COLUMN_TYPES[dialect];
  return new EntitySchema<ActivityTaskRow>({
    name: 'ActivityTask',
    tableName: 'activity_tasks',
    columns: {
      taskToken: { name: 'task_token', type: 'text', primary: true, primaryKeyConstraintName: 'pk_activity_tasks' },
      activityArn: { name: 'activity_arn', type: 'text' },
      executionArn: { name: 'execution_arn', type: 'text' },
      input: { name: 'input', type: 'text' },
      createdAt: { name: 'created_at', ...types.timestamp },
      workerName: { name: 'worker_name', type: 'text', nullable: true },
      claimedDate: { name: 'claimed_date', ...types.timestamp, nullable: true },
    },
    foreignKeys: [
      {
        name: 'fk_activity_tasks_execution',
        target: 'Execution',
        columnNames: ['execution_arn'],
        referencedColumnNames: ['execution_arn'],
      },
    ],
    indices: [
      {
        name: 'ix_activity_tasks_unclaimed',
        columns: ['activityArn', 'createdAt', 'taskToken'],
        where: 'claimed_date IS NULL',
      },
      { name: 'ix_activity_tasks_execution', columns: ['executionArn'] },
    ],
  });
}
