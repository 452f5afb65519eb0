import { EntitySchema } from 'typeorm';
import { DIALECT_COLUMN_TYPES, type SqlDialectName } from './column-types';

/** A row of `state_machines`: a state machine's identity and which revision is current. */
export interface StateMachineRow {
  stateMachineArn: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  /** The current revision; its definition and role are in `state_machine_revisions`. */
  revisionId: string;
  creationDate: Date | string;
  updateDate: Date | string;
  /**
   * Set by DeleteStateMachine. The row stays: executions (and their append-only histories) still refer to it,
   * and the revisions they run keep their state machine.
   */
  deletedDate: Date | string | null;
}

/** The `state_machines` table. */
export function stateMachineEntity(dialect: SqlDialectName): EntitySchema<StateMachineRow> {
  const types = DIALECT_COLUMN_TYPES[dialect];
  return new EntitySchema<StateMachineRow>({
    name: 'StateMachine',
    tableName: 'state_machines',
    columns: {
      stateMachineArn: {
        name: 'state_machine_arn',
        type: 'text',
        primary: true,
        primaryKeyConstraintName: 'pk_state_machines',
      },
      name: { name: 'name', type: 'text' },
      type: { name: 'type', type: 'text' },
      revisionId: { name: 'revision_id', type: 'text' },
      creationDate: { name: 'creation_date', ...types.timestamp },
      updateDate: { name: 'update_date', ...types.timestamp },
      deletedDate: { name: 'deleted_date', ...types.timestamp, nullable: true },
    },
    checks: [{ name: 'ck_state_machines_type', expression: `"type" IN ('STANDARD', 'EXPRESS')` }],
  });
}
