import { EntitySchema } from 'typeorm';
import { DIALECT_COLUMN_TYPES, type SqlDialectName } from './column-types';

/** A row of `state_machine_revisions`: one definition of a state machine, never changed once written. */
export interface StateMachineRevisionRow {
  revisionId: string;
  stateMachineArn: string;
  /** The definition as JSON text, exactly as submitted. */
  definition: string;
  roleArn: string;
  creationDate: Date | string;
}

/** The `state_machine_revisions` table: a running execution keeps the revision it started with. */
export function stateMachineRevisionEntity(dialect: SqlDialectName): EntitySchema<StateMachineRevisionRow> {
  const types = DIALECT_COLUMN_TYPES[dialect];
  return new EntitySchema<StateMachineRevisionRow>({
    name: 'StateMachineRevision',
    tableName: 'state_machine_revisions',
    columns: {
      revisionId: {
        name: 'revision_id',
        type: 'text',
        primary: true,
        primaryKeyConstraintName: 'pk_state_machine_revisions',
      },
      stateMachineArn: { name: 'state_machine_arn', type: 'text' },
      definition: { name: 'definition', type: 'text' },
      roleArn: { name: 'role_arn', type: 'text' },
      creationDate: { name: 'creation_date', ...types.timestamp },
    },
    foreignKeys: [
      {
        name: 'fk_state_machine_revisions_state_machine',
        target: 'StateMachine',
        columnNames: ['state_machine_arn'],
        referencedColumnNames: ['state_machine_arn'],
      },
    ],
    indices: [{ name: 'ix_state_machine_revisions_state_machine', columns: ['stateMachineArn'] }],
  });
}
