import { EntitySchema } from 'typeorm';
import type { ExecutionStatus } from '@lib/asl';
import { DIALECT_COLUMN_TYPES, type SqlDialectName } from './column-types';

/** A row of `executions`: what DescribeExecution reports, plus the interpreter's snapshot between steps. */
export interface ExecutionRow {
  executionArn: string;
  stateMachineArn: string;
  revisionId: string;
  name: string;
  status: ExecutionStatus;
  /** JSON text, as submitted. */
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  startDate: Date | string;
  stopDate: Date | string | null;
  /** Id of the last history event: each step's commit is conditional on it. */
  lastEventId: number;
  /** Hash of the last history event: the head of the chain, so a truncated history does not verify. */
  lastEventHash: string;
  /** The interpreter's ExecutionSnapshot as JSON. */
  snapshot: unknown;
}

/** The `executions` table, indexed for ListExecutions (by state machine and/or status, newest first). */
export function executionEntity(dialect: SqlDialectName): EntitySchema<ExecutionRow> {
  const types = DIALECT_COLUMN_TYPES[dialect];
  return new EntitySchema<ExecutionRow>({
    name: 'Execution',
    tableName: 'executions',
    columns: {
      executionArn: { name: 'execution_arn', type: 'text', primary: true, primaryKeyConstraintName: 'pk_executions' },
      stateMachineArn: { name: 'state_machine_arn', type: 'text' },
      revisionId: { name: 'revision_id', type: 'text' },
      name: { name: 'name', type: 'text' },
      status: { name: 'status', type: 'text' },
      input: { name: 'input', type: 'text' },
      output: { name: 'output', type: 'text', nullable: true },
      error: { name: 'error', type: 'text', nullable: true },
      cause: { name: 'cause', type: 'text', nullable: true },
      startDate: { name: 'start_date', ...types.timestamp },
      stopDate: { name: 'stop_date', ...types.timestamp, nullable: true },
      lastEventId: { name: 'last_event_id', type: 'integer' },
      lastEventHash: { name: 'last_event_hash', type: 'text' },
      snapshot: { name: 'snapshot', ...types.json },
    },
    checks: [
      {
        name: 'ck_executions_status',
        expression: `"status" IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED')`,
      },
    ],
    // StartExecution's idempotency: one execution per name and state machine.
    uniques: [{ name: 'uq_executions_state_machine_name', columns: ['stateMachineArn', 'name'] }],
    foreignKeys: [
      {
        name: 'fk_executions_state_machine',
        target: 'StateMachine',
        columnNames: ['state_machine_arn'],
        referencedColumnNames: ['state_machine_arn'],
      },
      {
        name: 'fk_executions_revision',
        target: 'StateMachineRevision',
        columnNames: ['revision_id'],
        referencedColumnNames: ['revision_id'],
      },
    ],
    // ListExecutions pages newest first: (start_date, execution_arn) read backwards, after the filter columns.
    indices: [
      { name: 'ix_executions_start', columns: ['startDate', 'executionArn'] },
      { name: 'ix_executions_state_machine_start', columns: ['stateMachineArn', 'startDate', 'executionArn'] },
      { name: 'ix_executions_status_start', columns: ['status', 'startDate', 'executionArn'] },
      {
        name: 'ix_executions_state_machine_status_start',
        columns: ['stateMachineArn', 'status', 'startDate', 'executionArn'],
      },
    ],
  });
}
