import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The execution store's tables on Postgres, as the entities declare them, plus what entities cannot say: the
 * trigger that makes `history_events` append-only. No UPDATE, DELETE or TRUNCATE reaches an event, whatever the
 * client — only a superuser disabling the trigger could, and the hash chain then shows it.
 */
export class InitialSchemaPostgres1764201600000 implements MigrationInterface {
  readonly name = 'InitialSchemaPostgres1764201600000';

  async up(db: QueryRunner): Promise<void> {
    const ts = 'TIMESTAMP(3) WITH TIME ZONE';
    await db.query(`CREATE TABLE "state_machines" (
      "state_machine_arn" text NOT NULL, "name" text NOT NULL, "type" text NOT NULL, "revision_id" text NOT NULL,
      "creation_date" ${ts} NOT NULL, "update_date" ${ts} NOT NULL, "deleted_date" ${ts},
      CONSTRAINT "ck_state_machines_type" CHECK ("type" IN ('STANDARD', 'EXPRESS')),
      CONSTRAINT "pk_state_machines" PRIMARY KEY ("state_machine_arn"))`);
    await db.query(`CREATE TABLE "state_machine_revisions" (
      "revision_id" text NOT NULL, "state_machine_arn" text NOT NULL, "definition" text NOT NULL, "role_arn" text NOT NULL,
      "creation_date" ${ts} NOT NULL,
      CONSTRAINT "pk_state_machine_revisions" PRIMARY KEY ("revision_id"),
      CONSTRAINT "fk_state_machine_revisions_state_machine" FOREIGN KEY ("state_machine_arn") REFERENCES "state_machines"("state_machine_arn"))`);
    await db.query(
      `CREATE INDEX "ix_state_machine_revisions_state_machine" ON "state_machine_revisions" ("state_machine_arn")`,
    );

    await db.query(`CREATE TABLE "executions" (
      "execution_arn" text NOT NULL, "state_machine_arn" text NOT NULL, "revision_id" text NOT NULL, "name" text NOT NULL,
      "status" text NOT NULL, "input" text NOT NULL, "output" text, "error" text, "cause" text,
      "start_date" ${ts} NOT NULL, "stop_date" ${ts}, "last_event_id" integer NOT NULL, "last_event_hash" text NOT NULL,
      "snapshot" json NOT NULL,
      CONSTRAINT "uq_executions_state_machine_name" UNIQUE ("state_machine_arn", "name"),
      CONSTRAINT "ck_executions_status" CHECK ("status" IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED')),
      CONSTRAINT "pk_executions" PRIMARY KEY ("execution_arn"),
      CONSTRAINT "fk_executions_state_machine" FOREIGN KEY ("state_machine_arn") REFERENCES "state_machines"("state_machine_arn"),
      CONSTRAINT "fk_executions_revision" FOREIGN KEY ("revision_id") REFERENCES "state_machine_revisions"("revision_id"))`);
    await db.query(`CREATE INDEX "ix_executions_start" ON "executions" ("start_date", "execution_arn")`);
    await db.query(
      `CREATE INDEX "ix_executions_state_machine_start" ON "executions" ("state_machine_arn", "start_date", "execution_arn")`,
    );
    await db.query(
      `CREATE INDEX "ix_executions_status_start" ON "executions" ("status", "start_date", "execution_arn")`,
    );
    await db.query(
      `CREATE INDEX "ix_executions_state_machine_status_start" ON "executions" ("state_machine_arn", "status", "start_date", "execution_arn")`,
    );

    await db.query(`CREATE TABLE "history_events" (
      "execution_arn" text NOT NULL, "id" integer NOT NULL, "previous_event_id" integer NOT NULL, "type" text NOT NULL,
      "timestamp" ${ts} NOT NULL, "details" json NOT NULL, "previous_hash" text NOT NULL, "hash" text NOT NULL,
      CONSTRAINT "pk_history_events" PRIMARY KEY ("execution_arn", "id"),
      CONSTRAINT "fk_history_events_execution" FOREIGN KEY ("execution_arn") REFERENCES "executions"("execution_arn"))`);
    await db.query(`CREATE FUNCTION "history_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          RAISE EXCEPTION 'history_events is append-only: % is refused', TG_OP
            USING HINT = 'An execution history is an audit record: events are only ever inserted.';
        END IF;
        RAISE EXCEPTION 'history_events is append-only: % of event % of execution % is refused', TG_OP, OLD."id", OLD."execution_arn"
          USING HINT = 'An execution history is an audit record: events are only ever inserted.';
      END $$`);
    await db.query(`CREATE TRIGGER "history_events_append_only" BEFORE UPDATE OR DELETE ON "history_events"
      FOR EACH ROW EXECUTE FUNCTION "history_events_append_only"()`);
    await db.query(`CREATE TRIGGER "history_events_no_truncate" BEFORE TRUNCATE ON "history_events"
      FOR EACH STATEMENT EXECUTE FUNCTION "history_events_append_only"()`);

    await db.query(`CREATE TABLE "execution_inbox" (
      "id" BIGSERIAL NOT NULL, "execution_arn" text NOT NULL, "message" json NOT NULL, "created_at" ${ts} NOT NULL,
      CONSTRAINT "pk_execution_inbox" PRIMARY KEY ("id"),
      CONSTRAINT "fk_execution_inbox_execution" FOREIGN KEY ("execution_arn") REFERENCES "executions"("execution_arn"))`);
    await db.query(`CREATE INDEX "ix_execution_inbox_execution" ON "execution_inbox" ("execution_arn", "id")`);
    await db.query(`CREATE TABLE "execution_outbox" (
      "id" BIGSERIAL NOT NULL, "execution_arn" text NOT NULL, "command" json NOT NULL, "created_at" ${ts} NOT NULL,
      CONSTRAINT "pk_execution_outbox" PRIMARY KEY ("id"),
      CONSTRAINT "fk_execution_outbox_execution" FOREIGN KEY ("execution_arn") REFERENCES "executions"("execution_arn"))`);
    await db.query(`CREATE INDEX "ix_execution_outbox_created" ON "execution_outbox" ("created_at")`);

    await db.query(`CREATE TABLE "task_tokens" (
      "task_token" text NOT NULL, "execution_arn" text NOT NULL, "task_id" text NOT NULL, "created_at" ${ts} NOT NULL,
      CONSTRAINT "pk_task_tokens" PRIMARY KEY ("task_token"),
      CONSTRAINT "fk_task_tokens_execution" FOREIGN KEY ("execution_arn") REFERENCES "executions"("execution_arn"))`);
    await db.query(`CREATE INDEX "ix_task_tokens_execution" ON "task_tokens" ("execution_arn")`);

    await db.query(`CREATE TABLE "activities" (
      "activity_arn" text NOT NULL, "name" text NOT NULL, "creation_date" ${ts} NOT NULL,
      CONSTRAINT "pk_activities" PRIMARY KEY ("activity_arn"))`);
    await db.query(`CREATE TABLE "activity_tasks" (
      "task_token" text NOT NULL, "activity_arn" text NOT NULL, "execution_arn" text NOT NULL, "input" text NOT NULL,
      "created_at" ${ts} NOT NULL, "worker_name" text, "claimed_date" ${ts},
      CONSTRAINT "pk_activity_tasks" PRIMARY KEY ("task_token"),
      CONSTRAINT "fk_activity_tasks_execution" FOREIGN KEY ("execution_arn") REFERENCES "executions"("execution_arn"))`);
    await db.query(
      `CREATE INDEX "ix_activity_tasks_unclaimed" ON "activity_tasks" ("activity_arn", "created_at", "task_token") WHERE claimed_date IS NULL`,
    );
    await db.query(`CREATE INDEX "ix_activity_tasks_execution" ON "activity_tasks" ("execution_arn")`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'activity_tasks',
      'activities',
      'task_tokens',
      'execution_outbox',
      'execution_inbox',
      'history_events',
      'executions',
      'state_machine_revisions',
      'state_machines',
    ]) {
      await db.query(`DROP TABLE "${table}"`);
    }
    await db.query(`DROP FUNCTION "history_events_append_only"()`);
  }
}
