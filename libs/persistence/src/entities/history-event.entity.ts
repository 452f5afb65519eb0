import { EntitySchema } from 'typeorm';
import type { HistoryEventType } from '@lib/asl';
import { DIALECT_COLUMN_TYPES, type SqlDialectName } from './column-types';

/**
 * A row of `history_events`: one event exactly as the interpreter produced it, and its link in the hash chain.
 * The table is append-only in the database itself (a trigger refuses UPDATE and DELETE).
 */
export interface HistoryEventRow {
  executionArn: string;
  id: number;
  previousEventId: number;
  type: HistoryEventType;
  /** The event's `timestamp`. */
  timestamp: Date | string;
  /** Every other field of the event (its `…EventDetails` object, under its own name), as JSON. */
  details: unknown;
  /** The previous event's hash; `''` for the first event. */
  previousHash: string;
  /** SHA-256 (hex) of `previousHash` followed by the canonical JSON of the event. */
  hash: string;
}

/** The `history_events` table; its primary key (execution, id) serves GetExecutionHistory in both directions. */
export function historyEventEntity(dialect: SqlDialectName): EntitySchema<HistoryEventRow> {
  const types = DIALECT_COLUMN_TYPES[dialect];
  return new EntitySchema<HistoryEventRow>({
    name: 'HistoryEvent',
    tableName: 'history_events',
    columns: {
      executionArn: {
        name: 'execution_arn',
        type: 'text',
        primary: true,
        primaryKeyConstraintName: 'pk_history_events',
      },
      id: { name: 'id', type: 'integer', primary: true, primaryKeyConstraintName: 'pk_history_events' },
      previousEventId: { name: 'previous_event_id', type: 'integer' },
      type: { name: 'type', type: 'text' },
      timestamp: { name: 'timestamp', ...types.timestamp },
      details: { name: 'details', ...types.json },
      previousHash: { name: 'previous_hash', type: 'text' },
      hash: { name: 'hash', type: 'text' },
    },
    foreignKeys: [
      {
        name: 'fk_history_events_execution',
        target: 'Execution',
        columnNames: ['execution_arn'],
        referencedColumnNames: ['execution_arn'],
      },
    ],
  });
}
