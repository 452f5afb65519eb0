import { EntitySchema } from 'typeorm';
import { DIALECT_COLUMN_TYPES, type SqlDialectName } from './column-types';

/** A row of `execution_inbox`: an outcome (task result, fired timer, callback, stop) waiting for the next step. */
export interface ExecutionInboxRow {
  /** Increasing and never reused: the order messages are fed to the interpreter. */
  id: number | string;
  executionArn: string;
  /** The InboxMessage as JSON. */
  message: unknown;
  createdAt: Date | string;
}

/** The `execution_inbox` table: many results for one execution are drained in one step. */
export function executionInboxEntity(dialect: SqlDialectName): EntitySchema<ExecutionInboxRow> {
  const types = DIALECT_COLUMN_TYPES[dialect];
  return new EntitySchema<ExecutionInboxRow>({
    name: 'ExecutionInboxMessage',
    tableName: 'execution_inbox',
    columns: {
      id: { name: 'id', ...types.generatedId, primaryKeyConstraintName: 'pk_execution_inbox' },
      executionArn: { name: 'execution_arn', type: 'text' },
      message: { name: 'message', ...types.json },
      createdAt: { name: 'created_at', ...types.timestamp },
    },
    foreignKeys: [
      {
        name: 'fk_execution_inbox_execution',
        target: 'Execution',
        columnNames: ['execution_arn'],
        referencedColumnNames: ['execution_arn'],
      },
    ],
    indices: [{ name: 'ix_execution_inbox_execution', columns: ['executionArn', 'id'] }],
  });
}
