import { EntitySchema } from 'typeorm';
import { DIALECT_COLUMN_TYPES, type SqlDialectName } from './column-types';

/** A row of `task_tokens`: a `.waitForTaskToken` (or activity) token SendTaskSuccess/Failure/Heartbeat may name. */
export interface TaskTokenRow {
  taskToken: string;
  executionArn: string;
  /** The interpreter's id of the task the token stands for. */
  taskId: string;
  createdAt: Date | string;
}

/** The `task_tokens` table: each step replaces the execution's set. */
export function taskTokenEntity(dialect: SqlDialectName): EntitySchema<TaskTokenRow> {
  const types = DIALECT_COLUMN_TYPES[dialect];
  return new EntitySchema<TaskTokenRow>({
    name: 'TaskToken',
    tableName: 'task_tokens',
    columns: {
      taskToken: { name: 'task_token', type: 'text', primary: true, primaryKeyConstraintName: 'pk_task_tokens' },
      executionArn: { name: 'execution_arn', type: 'text' },
      taskId: { name: 'task_id', type: 'text' },
      createdAt: { name: 'created_at', ...types.timestamp },
    },
    foreignKeys: [
      {
        name: 'fk_task_tokens_execution',
        target: 'Execution',
        columnNames: ['execution_arn'],
        referencedColumnNames: ['execution_arn'],
      },
    ],
    indices: [{ name: 'ix_task_tokens_execution', columns: ['executionArn'] }],
  });
}
