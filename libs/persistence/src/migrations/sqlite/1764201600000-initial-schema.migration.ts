import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The message SQLite's triggers raise; tests and operators recognise it. */
const APPEND_ONLY = 'history_events is append-only: % is refused; an execution history is an audit record';

/**
 * The execution store's tables on SQLite, as the entities declare them (foreign keys inline: SQLite cannot add
 * them later), plus the triggers that make `history_events` append-only.
 */
export class InitialSchemaSqlite1764201600000 implements MigrationInterface {
  readonly name = 'InitialSchemaSqlite1764201600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE "state_machines" (
      "state_machine_arn" text PRIMARY KEY NOT NULL, "name" text NOT NULL, "type" text NOT NULL, "revision_id" text NOT NULL,
      "creation_date" text NOT NULL, "update_date" text NOT NULL, "deleted_date" text,
      CONSTRAINT "ck_state_machines_type" CHECK ("type" IN ('STANDARD', 'EXPRESS')))`);
    await db.query(`CREATE TABLE "state_machine_revisions" (
      "revision_id" text PRIMARY KEY NOT NULL, "state_machine_arn" text NOT NULL, "definition" text NOT NULL,
      "role_arn" text NOT NULL, "creation_date" text NOT NULL,
      CONSTRAINT "fk_state_machine_revisions_state_machine" FOREIGN KEY ("state_machine_arn") REFERENCES "state_machines" ("state_machine_arn") ON DELETE NO ACTION ON UPDATE NO ACTION)`);
    await db.query(
      `CREATE INDEX "ix_state_machine_revisions_state_machine" ON "state_machine_revisions" ("state_machine_arn")`,
    );

    await db.query(`CREATE TABLE "executions" (
      "execution_arn" text PRIMARY KEY NOT NULL, "state_machine_arn" text NOT NULL, "revision_id" text NOT NULL,
      "name" text NOT NULL, "status" text NOT NULL, "input" text NOT NULL, "output" text, "error" text, "cause" text,
      "start_date" text NOT NULL, "stop_date" text, "last_event_id" integer NOT NULL, "last_event_hash" text NOT NULL,
      "snapshot" text NOT NULL,
      CONSTRAINT "uq_executions_state_machine_name" UNIQUE ("state_machine_arn", "name"),
      CONSTRAINT "ck_executions_status" CHECK ("status" IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED')),
      CONSTRAINT "fk_executions_state_machine" FOREIGN KEY ("state_machine_arn") REFERENCES "state_machines" ("state_machine_arn") ON DELETE NO ACTION ON UPDATE NO ACTION,
      CONSTRAINT "fk_executions_revision" FOREIGN KEY ("revision_id") REFERENCES "state_machine_revisions" ("revision_id") ON DELETE NO ACTION ON UPDATE NO ACTION)`);
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
      "timestamp" text NOT NULL, "details" text NOT NULL, "previous_hash" text NOT NULL, "hash" text NOT NULL,
      CONSTRAINT "fk_history_events_execution" FOREIGN KEY ("execution_arn") REFERENCES "executions" ("execution_arn") ON DELETE NO ACTION ON UPDATE NO ACTION,
      PRIMARY KEY ("execution_arn", "id"))`);
    for (const operation of ['UPDATE', 'DELETE']) {
      await db.query(`CREATE TRIGGER "history_events_no_${operation.toLowerCase()}" BEFORE ${operation} ON "history_events"
        BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY.replace('%', operation)}'); END`);
    }

    await db.query(`CREATE TABLE "execution_inbox" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "execution_arn" text NOT NULL, "message" text NOT NULL, "created_at" text NOT NULL,
      CONSTRAINT "fk_execution_inbox_execution" FOREIGN KEY ("execution_arn") REFERENCES "executions" ("execution_arn") ON DELETE NO ACTION ON UPDATE NO ACTION)`);
    await db.query(`CREATE INDEX "ix_execution_inbox_execution" ON "execution_inbox" ("execution_arn", "id")`);
    await db.query(`CREATE TABLE "execution_outbox" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "execution_arn" text NOT NULL, "command" text NOT NULL, "created_at" text NOT NULL,
      CONSTRAINT "fk_execution_outbox_execution" FOREIGN KEY ("execution_arn") REFERENCES "executions" ("execution_arn") ON DELETE NO ACTION ON UPDATE NO ACTION)`);
    await db.query(`CREATE INDEX "ix_execution_outbox_created" ON "execution_outbox" ("created_at")`);

    await db.query(`CREATE TABLE "task_tokens" (
      "task_token" text PRIMARY KEY NOT NULL, "execution_arn" text NOT NULL, "task_id" text NOT NULL, "created_at" text NOT NULL,
      CONSTRAINT "fk_task_tokens_execution" FOREIGN KEY ("execution_arn") REFERENCES "executions" ("execution_arn") ON DELETE NO ACTION ON UPDATE NO ACTION)`);
    await db.query(`CREATE INDEX "ix_task_tokens_execution" ON "task_tokens" ("execution_arn")`);

    await db.query(`CREATE TABLE "activities" (
      "activity_arn" text PRIMARY KEY NOT NULL, "name" text NOT NULL, "creation_date" text NOT NULL)`);
    await db.query(`CREATE TABLE "activity_tasks" (
      "task_token" text PRIMARY KEY NOT NULL, "activity_arn" text NOT NULL, "execution_arn" text NOT NULL, "input" text NOT NULL,
      "created_at" text NOT NULL, "worker_name" text, "claimed_date" text,
      CONSTRAINT "fk_activity_tasks_execution" FOREIGN KEY ("execution_arn") REFERENCES "executions" ("execution_arn") ON DELETE NO ACTION ON UPDATE NO ACTION)`);
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
  }
}
