import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the Step Functions protocol needs beyond the initial schema: the task tokens whose task timed out (a late
 * SendTaskSuccess is then TaskTimedOut), and the tags of state machines and activities.
 */
export class TaskTimeoutsAndTagsPostgres1795734600000 implements MigrationInterface {
  readonly name = 'TaskTimeoutsAndTagsPostgres1795734600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE "timed_out_task_tokens" (
      "task_token" text NOT NULL, "execution_arn" text NOT NULL, "timed_out_date" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
      CONSTRAINT "pk_timed_out_task_tokens" PRIMARY KEY ("task_token"),
      CONSTRAINT "fk_timed_out_task_tokens_execution" FOREIGN KEY ("execution_arn") REFERENCES "executions"("execution_arn"))`);
    await db.query(`CREATE TABLE "resource_tags" (
      "resource_arn" text NOT NULL, "tag_key" text NOT NULL, "tag_value" text NOT NULL,
      CONSTRAINT "pk_resource_tags" PRIMARY KEY ("resource_arn", "tag_key"))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "resource_tags"`);
    await db.query(`DROP TABLE "timed_out_task_tokens"`);
  }
}
