import { EntitySchema } from 'typeorm';
import { DIALECT_COLUMN_TYPES, type SqlDialectName } from './column-types';

/** A row of `timed_out_task_tokens`: a task token whose task timed out. */
export interface TimedOutTaskTokenRow {
  taskToken: string;
  executionArn: string;
  timedOutDate: Date | string;
}

/**
 * The `timed_out_task_tokens` table. A step deletes the tokens it no longer waits on from `task_tokens`; the ones
 * dropped because their task timed out are remembered here, so that a late SendTaskSuccess is told TaskTimedOut,
 * as Step Functions tells it, rather than TaskDoesNotExist.
 */
export function timedOutTaskTokenEntity(dialect: SqlDialectName): EntitySchema<TimedOutTaskTokenRow> {
  const types = DIALECT_COLUMN_TYPES[dialect];
  return new EntitySchema<TimedOutTaskTokenRow>({
    name: 'TimedOutTaskToken',
    tableName: 'timed_out_task_tokens',
    columns: {
      taskToken: {
        name: 'task_token',
        type: 'text',
        primary: true,
        primaryKeyConstraintName: 'pk_timed_out_task_tokens',
      },
      executionArn: { name: 'execution_arn', type: 'text' },
      timedOutDate: { name: 'timed_out_date', ...types.timestamp },
    },
    foreignKeys: [
      {
        name: 'fk_timed_out_task_tokens_execution',
        target: 'Execution',
        columnNames: ['execution_arn'],
        referencedColumnNames: ['execution_arn'],
      },
    ],
  });
}
