import { EntitySchema } from 'typeorm';
import { DIALECT_COLUMN_TYPES, type SqlDialectName } from './column-types';

/** A row of `execution_outbox`: a command a committed step asked for, not yet handed to the queue. */
export interface ExecutionOutboxRow {
  id: number | string;
  executionArn: string;
  /** The interpreter's Command as JSON. */
  command: unknown;
  createdAt: Date | string;
}

/** The `execution_outbox` table (the transactional outbox): follow-up work is derived from committed state. */
export function executionOutboxEntity(dialect: SqlDialectName): EntitySchema<ExecutionOutboxRow> {
  const types = DIALECT_COLUMN_TYPES[dialect];
  return new EntitySchema<ExecutionOutboxRow>({
    name: 'ExecutionOutboxCommand',
    tableName: 'execution_outbox',
    columns: {
      id: { name: 'id', ...types.generatedId, primaryKeyConstraintName: 'pk_execution_outbox' },
      executionArn: { name: 'execution_arn', type: 'text' },
      command: { name: 'command', ...types.json },
      createdAt: { name: 'created_at', ...types.timestamp },
    },
    foreignKeys: [
      {
        name: 'fk_execution_outbox_execution',
        target: 'Execution',
        columnNames: ['execution_arn'],
        referencedColumnNames: ['execution_arn'],
      },
    ],
    // The recovery sweep asks for entries older than a moment.
    indices: [{ name: 'ix_execution_outbox_created', columns: ['createdAt'] }],
  });
}
