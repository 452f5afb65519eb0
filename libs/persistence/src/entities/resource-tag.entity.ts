import { EntitySchema } from 'typeorm';

/** A row of `resource_tags`: one tag of a state machine or an activity (TagResource). */
export interface ResourceTagRow {
  resourceArn: string;
  tagKey: string;
  tagValue: string;
}

/**
 * The `resource_tags` table. Tags are a table of their own rather than a column of `state_machines` and
 * `activities`: TagResource is then one upsert per key, and two concurrent calls cannot lose each other's tags the
 * way a read-modify-write of a JSON column would. No foreign key: a tag belongs to a row of either table.
 */
export function resourceTagEntity(): EntitySchema<ResourceTagRow> {
  return new EntitySchema<ResourceTagRow>({
    name: 'ResourceTag',
    tableName: 'resource_tags',
    columns: {
      resourceArn: {
        name: 'resource_arn',
        type: 'text',
        primary: true,
        primaryKeyConstraintName: 'pk_resource_tags',
      },
      tagKey: { name: 'tag_key', type: 'text', primary: true, primaryKeyConstraintName: 'pk_resource_tags' },
      tagValue: { name: 'tag_value', type: 'text' },
    },
  });
}
