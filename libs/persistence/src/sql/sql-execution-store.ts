import { randomUUID } from 'node:crypto';
import type { Command, ExecutionSnapshot, ExecutionStatus, HistoryEvent, InboxMessage } from '@lib/asl';
import {
  type ActivityRecord,
  type ActivityTaskRecord,
  type ExecutionCounts,
  type ExecutionListFilter,
  type ExecutionRecord,
  type ExecutionStore,
  ExecutionStoreError,
  type IssuedTaskToken,
  type InboxEntry,
  type NewExecution,
  type OutboxEntry,
  type Page,
  type PageRequest,
  type ResourceTag,
  type StateMachineRecord,
  type StateMachineRevision,
  type StateMachineType,
  type StepCommit,
  type StoredHistoryEvent,
  type TaskTokenRecord,
} from '@lib/engine';
import {
  chainHistoryEvents,
  type ChainedHistoryEvent,
  checkEventsFollowOn,
  GENESIS_HASH,
  HistoryChainVerifier,
  historyEventFromColumns,
  historyEventToColumns,
  type HistoryVerification,
} from '../history/history-chain';
import {
  arnAfter,
  type ArnListing,
  arnToken,
  executionsAfter,
  executionsToken,
  historyAfter,
  historyToken,
  pageOf,
} from '../paging/listing-tokens';
import { pageSize } from '../paging/page-token';
import { batches, placeholders, type SqlDatabase, type SqlRow, type SqlSession } from './sql-database';

const EXECUTION_COLUMNS =
  'execution_arn, state_machine_arn, revision_id, name, status, input, output, error, cause, start_date, stop_date, last_event_id';

const STATE_MACHINE_SELECT = `SELECT sm.state_machine_arn, sm.name, sm.type, sm.revision_id, sm.creation_date, sm.update_date,
    r.definition, r.role_arn
  FROM state_machines sm JOIN state_machine_revisions r ON r.revision_id = sm.revision_id
  WHERE sm.deleted_date IS NULL`;

// "timestamp" is quoted: it is a type name in Postgres.
const HISTORY_COLUMNS = 'id, previous_event_id, type, "timestamp", details, previous_hash, hash';

/** How many revisions a store keeps in memory. */
const REVISION_CACHE_SIZE = 1000;

/** How many events verifyHistory reads at a time. */
const VERIFY_BATCH = 1000;

/**
 * The execution store on a SQL database: one implementation for Postgres and SQLite, whose statements are
 * written once in the SQL both understand. What differs (placeholders, column types, lock clauses, how a
 * transaction is held) lives in the {@link SqlDatabase} and its dialect.
 */
export class SqlExecutionStore implements ExecutionStore {
  /** Revisions read so far, oldest first (a Map keeps insertion order). */
  private readonly revisions = new Map<string, StateMachineRevision>();

  constructor(
    private readonly db: SqlDatabase,
    /** The clock for the dates the store itself assigns (creation dates, outbox and inbox times). */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private get dialect() {
    return this.db.dialect;
  }

  // ── state machines ───────────────────────────────────────────────────────────────────────────────────────────

  async createStateMachine(input: {
    readonly stateMachineArn: string;
    readonly name: string;
    readonly type: StateMachineType;
    readonly roleArn: string;
    readonly definition: string;
  }): Promise<StateMachineRecord> {
    const now = this.clock();
    const revisionId = randomUUID();
    const date = this.dialect.dateParam(now);
    await this.db.transaction('write', async (tx) => {
      // A deleted state machine's row stays for its executions; creating the name again brings it back.
      const revived = await tx.run(
        `UPDATE state_machines SET name = ?, type = ?, revision_id = ?, creation_date = ?, update_date = ?, deleted_date = NULL
          WHERE state_machine_arn = ? AND deleted_date IS NOT NULL`,
        [input.name, input.type, revisionId, date, date, input.stateMachineArn],
      );
      if (revived === 0) {
        const inserted = await tx.run(
          `INSERT INTO state_machines (state_machine_arn, name, type, revision_id, creation_date, update_date, deleted_date)
            VALUES (?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (state_machine_arn) DO NOTHING`,
          [input.stateMachineArn, input.name, input.type, revisionId, date, date],
        );
        if (inserted === 0) {
          throw new ExecutionStoreError(
            'StateMachineAlreadyExists',
            `State Machine Already Exists: '${input.stateMachineArn}'`,
          );
        }
      }
      await this.insertRevision(tx, {
        revisionId,
        stateMachineArn: input.stateMachineArn,
        definition: input.definition,
        roleArn: input.roleArn,
        creationDate: now,
      });
    });
    return {
      stateMachineArn: input.stateMachineArn,
      name: input.name,
      type: input.type,
      roleArn: input.roleArn,
      definition: input.definition,
      revisionId,
      creationDate: now,
      updateDate: now,
    };
  }

  async findStateMachine(stateMachineArn: string): Promise<StateMachineRecord | undefined> {
    const [row] = await this.db.rows(`${STATE_MACHINE_SELECT} AND sm.state_machine_arn = ?`, [stateMachineArn]);
    return row && this.toStateMachine(row);
  }

  async listStateMachines(page: PageRequest): Promise<Page<StateMachineRecord>> {
    return this.pageByArn(
      'state-machines',
      page,
      async (after, limit) => {
        const rows = await this.db.rows(
          `${STATE_MACHINE_SELECT}${after === undefined ? '' : ' AND sm.state_machine_arn > ?'} ORDER BY sm.state_machine_arn LIMIT ?`,
          after === undefined ? [limit] : [after, limit],
        );
        return rows.map((row) => this.toStateMachine(row));
      },
      (record) => record.stateMachineArn,
    );
  }

  async updateStateMachine(
    stateMachineArn: string,
    changes: { readonly definition?: string; readonly roleArn?: string },
  ): Promise<StateMachineRecord> {
    return this.db.transaction('write', async (tx) => {
      // Lock the state machine's row first: two concurrent updates each write a revision, one after the other.
      const locked = await tx.rows(
        `SELECT revision_id FROM state_machines WHERE state_machine_arn = ? AND deleted_date IS NULL${this.dialect.forUpdateClause}`,
        [stateMachineArn],
      );
      const [row] =
        locked.length === 0
          ? []
          : await tx.rows(`${STATE_MACHINE_SELECT} AND sm.state_machine_arn = ?`, [stateMachineArn]);
      if (!row)
        throw new ExecutionStoreError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
      const current = this.toStateMachine(row);
      const definition = changes.definition ?? current.definition;
      const roleArn = changes.roleArn ?? current.roleArn;
      // Nothing changed: no new revision, as Step Functions keeps the revision id when an update changes nothing.
      if (definition === current.definition && roleArn === current.roleArn) return current;
      const now = this.clock();
      const revisionId = randomUUID();
      await this.insertRevision(tx, { revisionId, stateMachineArn, definition, roleArn, creationDate: now });
      await tx.run(`UPDATE state_machines SET revision_id = ?, update_date = ? WHERE state_machine_arn = ?`, [
        revisionId,
        this.dialect.dateParam(now),
        stateMachineArn,
      ]);
      return { ...current, definition, roleArn, revisionId, updateDate: now };
    });
  }

  /**
   * Marks the state machine deleted; its executions, histories and revisions stay, its tags go. Deleting twice is
   * harmless.
   */
  async deleteStateMachine(stateMachineArn: string): Promise<void> {
    await this.db.transaction('write', async (tx) => {
      await tx.run(`UPDATE state_machines SET deleted_date = ? WHERE state_machine_arn = ? AND deleted_date IS NULL`, [
        this.dialect.dateParam(this.clock()),
        stateMachineArn,
      ]);
      await tx.run(`DELETE FROM resource_tags WHERE resource_arn = ?`, [stateMachineArn]);
    });
  }

  /** Revisions never change: each is read once per process (every step of an execution needs its definition). */
  async findRevision(revisionId: string): Promise<StateMachineRevision | undefined> {
    const cached = this.revisions.get(revisionId);
    if (cached) return { ...cached, creationDate: new Date(cached.creationDate) };
    const found = await this.readRevision(revisionId);
    if (found) {
      if (this.revisions.size >= REVISION_CACHE_SIZE)
        this.revisions.delete(this.revisions.keys().next().value as string);
      this.revisions.set(revisionId, found);
    }
    return found && { ...found, creationDate: new Date(found.creationDate) };
  }

  private async readRevision(revisionId: string): Promise<StateMachineRevision | undefined> {
    const [row] = await this.db.rows(
      `SELECT revision_id, state_machine_arn, definition, role_arn, creation_date FROM state_machine_revisions WHERE revision_id = ?`,
      [revisionId],
    );
    if (!row) return undefined;
    return {
      revisionId: String(row['revision_id']),
      stateMachineArn: String(row['state_machine_arn']),
      definition: String(row['definition']),
      roleArn: String(row['role_arn']),
      creationDate: this.dialect.readDate(row['creation_date']),
    };
  }

  async countExecutionsByStatus(stateMachineArn: string): Promise<ExecutionCounts> {
    return (await this.countExecutionsByStateMachine([stateMachineArn])).get(stateMachineArn) ?? {};
  }

  async countExecutionsByStateMachine(stateMachineArns: readonly string[]): Promise<Map<string, ExecutionCounts>> {
    const counts = new Map<string, ExecutionCounts>(stateMachineArns.map((arn) => [arn, {}]));
    // One statement for a page of the list (up to 1000 ARNs a batch). It still reads every execution of those
    // machines: linear in their executions, which the dashboard's list can afford far longer than a query each.
    for (const batch of batches([...counts.keys()], 1, this.dialect.maxParams)) {
      const rows = await this.db.rows(
        `SELECT state_machine_arn, status, COUNT(*) AS n FROM executions WHERE state_machine_arn IN (${placeholders(batch.length)})
          GROUP BY state_machine_arn, status`,
        batch,
      );
      for (const row of rows) {
        const machine = counts.get(String(row['state_machine_arn']));
        if (machine) machine[row['status'] as ExecutionStatus] = this.dialect.readInt(row['n']);
      }
    }
    return counts;
  }

  // ── executions ───────────────────────────────────────────────────────────────────────────────────────────────

  async createExecution(start: NewExecution): Promise<{
    readonly created: boolean;
    readonly execution: ExecutionRecord;
    readonly outbox: readonly OutboxEntry[];
  }> {
    checkEventsFollowOn(0, start.events);
    const chained = chainHistoryEvents(GENESIS_HASH, start.events);
    const head = chained.at(-1);
    const { record } = start;
    const execution: ExecutionRecord = { ...record, lastEventId: head?.event.id ?? 0 };
    const now = this.clock();
    return this.db.transaction('write', async (tx) => {
      const machine = await tx.rows(
        `SELECT 1 AS found FROM state_machines sm JOIN state_machine_revisions r ON r.state_machine_arn = sm.state_machine_arn
          WHERE sm.state_machine_arn = ? AND sm.deleted_date IS NULL AND r.revision_id = ?`,
        [record.stateMachineArn, record.revisionId],
      );
      if (machine.length === 0) {
        throw new ExecutionStoreError(
          'StateMachineDoesNotExist',
          `State Machine Does Not Exist: '${record.stateMachineArn}' (revision '${record.revisionId}')`,
        );
      }
      // The unique name per state machine decides between two starts racing with one name: the later one waits
      // for the earlier one's commit and then finds its row.
      const inserted = await tx.run(
        `INSERT INTO executions (${EXECUTION_COLUMNS}, last_event_hash, snapshot)
          VALUES (${placeholders(14)}) ON CONFLICT DO NOTHING`,
        [
          record.executionArn,
          record.stateMachineArn,
          record.revisionId,
          record.name,
          record.status,
          record.input,
          record.output,
          record.error,
          record.cause,
          this.dialect.dateParam(record.startDate),
          record.stopDate === null ? null : this.dialect.dateParam(record.stopDate),
          execution.lastEventId,
          head?.hash ?? GENESIS_HASH,
          JSON.stringify(start.snapshot),
        ],
      );
      if (inserted === 0) {
        const [existing] = await tx.rows(
          `SELECT ${EXECUTION_COLUMNS} FROM executions WHERE execution_arn = ? OR (state_machine_arn = ? AND name = ?)`,
          [record.executionArn, record.stateMachineArn, record.name],
        );
        if (!existing) throw new Error(`Execution ${record.executionArn} was neither inserted nor found`);
        return { created: false, execution: this.toExecution(existing), outbox: [] };
      }
      await this.insertEvents(tx, record.executionArn, chained);
      await this.insertTaskTokens(tx, record.executionArn, start.taskTokens, now);
      await this.insertActivityTasks(tx, start.activityTasks ?? [], now);
      const outbox = await this.insertOutbox(tx, record.executionArn, start.commands, now);
      return { created: true, execution, outbox };
    });
  }

  async findExecution(executionArn: string): Promise<ExecutionRecord | undefined> {
    const [row] = await this.db.rows(`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE execution_arn = ?`, [
      executionArn,
    ]);
    return row && this.toExecution(row);
  }

  /**
   * The filters narrow the scan of one of the `(…, start_date, execution_arn)` indexes, read backwards: the dates
   * bound it, and the search is checked on the rows it passes until a page is full.
   */
  async listExecutions(filter: ExecutionListFilter, page: PageRequest): Promise<Page<ExecutionRecord>> {
    const limit = pageSize(page.maxResults);
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.stateMachineArn !== undefined) {
      conditions.push('state_machine_arn = ?');
      params.push(filter.stateMachineArn);
    }
    if (filter.statusFilter !== undefined) {
      conditions.push('status = ?');
      params.push(filter.statusFilter);
    }
    if (filter.startedAfter !== undefined) {
      conditions.push('start_date >= ?');
      params.push(this.dialect.dateParam(filter.startedAfter));
    }
    if (filter.startedBefore !== undefined) {
      conditions.push('start_date < ?');
      params.push(this.dialect.dateParam(filter.startedBefore));
    }
    if (filter.search !== undefined) {
      const like = this.dialect.caseInsensitiveLike;
      conditions.push(`(name ${like} ? ESCAPE '\\' OR execution_arn ${like} ? ESCAPE '\\')`);
      const pattern = containing(filter.search);
      params.push(pattern, pattern);
    }
    if (page.nextToken !== undefined) {
      const after = executionsAfter(page.nextToken, filter);
      conditions.push('(start_date, execution_arn) < (?, ?)');
      params.push(this.dialect.dateParam(after.startDate), after.executionArn);
    }
    const rows = await this.db.rows(
      `SELECT ${EXECUTION_COLUMNS} FROM executions${conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`}
        ORDER BY start_date DESC, execution_arn DESC LIMIT ?`,
      [...params, limit + 1],
    );
    return pageOf(
      rows.map((row) => this.toExecution(row)),
      limit,
      (last) => executionsToken(filter, last),
    );
  }

  async loadForStep(
    executionArn: string,
  ): Promise<
    | { readonly execution: ExecutionRecord; readonly snapshot: ExecutionSnapshot; readonly inbox: InboxEntry[] }
    | undefined
  > {
    // One statement, so one snapshot of the database: the execution and the inbox it is stepped with agree.
    const [row] = await this.db.rows(
      `SELECT ${EXECUTION_COLUMNS}, snapshot, ${this.dialect.inboxJsonArray} AS inbox FROM executions e WHERE e.execution_arn = ?`,
      [executionArn],
    );
    if (!row) return undefined;
    const inbox = (row['inbox'] === null ? [] : this.dialect.readJson(row['inbox'])) as {
      id: number | string;
      message: InboxMessage;
    }[];
    return {
      execution: this.toExecution(row),
      snapshot: this.dialect.readJson(row['snapshot']) as ExecutionSnapshot,
      inbox: inbox.map((entry) => ({ id: Number(entry.id), message: entry.message })),
    };
  }

  async commitStep(commit: StepCommit): Promise<{ readonly outbox: readonly OutboxEntry[] }> {
    checkEventsFollowOn(commit.expectedLastEventId, commit.events);
    const { executionArn } = commit;
    const now = this.clock();
    return this.db.transaction('write', async (tx) => {
      // Lock the execution's row: a concurrent commit waits here, then sees what this one wrote.
      const [head] = await tx.rows(
        `SELECT last_event_id, last_event_hash FROM executions WHERE execution_arn = ?${this.dialect.forUpdateClause}`,
        [executionArn],
      );
      if (!head) throw new ExecutionStoreError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
      const lastEventId = this.dialect.readInt(head['last_event_id']);
      if (lastEventId !== commit.expectedLastEventId) {
        throw concurrentModification(
          executionArn,
          `its last event is ${lastEventId}, not ${commit.expectedLastEventId}`,
        );
      }
      await this.consumeInbox(tx, executionArn, commit.consumedInboxIds);
      const chained = chainHistoryEvents(String(head['last_event_hash']), commit.events);
      const newHead = chained.at(-1);
      await this.insertEvents(tx, executionArn, chained);
      await tx.run(
        `UPDATE executions SET status = ?, output = ?, error = ?, cause = ?, stop_date = ?, last_event_id = ?, last_event_hash = ?, snapshot = ?
          WHERE execution_arn = ?`,
        [
          commit.status,
          commit.output,
          commit.error,
          commit.cause,
          commit.stopDate === null ? null : this.dialect.dateParam(commit.stopDate),
          newHead?.event.id ?? lastEventId,
          newHead?.hash ?? String(head['last_event_hash']),
          JSON.stringify(commit.snapshot),
          executionArn,
        ],
      );
      await this.replaceTaskTokens(tx, executionArn, commit.taskTokens, now);
      await this.insertTimedOutTaskTokens(tx, executionArn, commit.timedOutTaskTokens ?? [], now);
      await this.insertActivityTasks(tx, commit.activityTasks, now);
      return { outbox: await this.insertOutbox(tx, executionArn, commit.commands, now) };
    });
  }

  async appendInbox(executionArn: string, message: InboxMessage): Promise<number> {
    try {
      const [row] = await this.db.rows(
        `INSERT INTO execution_inbox (execution_arn, message, created_at) VALUES (?, ?, ?) RETURNING id`,
        [executionArn, JSON.stringify(message), this.dialect.dateParam(this.clock())],
      );
      if (!row) throw new Error('INSERT … RETURNING returned no row');
      return this.dialect.readInt(row['id']);
    } catch (e) {
      // The foreign key names the missing execution; executions are never deleted, so nothing else can be missing.
      if (this.dialect.isForeignKeyViolation(e)) {
        throw new ExecutionStoreError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
      }
      throw e;
    }
  }

  // ── outbox ───────────────────────────────────────────────────────────────────────────────────────────────────

  async idleRunningExecutions(idleSince: Date, limit: number, afterArn = ''): Promise<string[]> {
    const rows = await this.db.rows(
      `SELECT e.execution_arn FROM executions e
         JOIN history_events h ON h.execution_arn = e.execution_arn AND h.id = e.last_event_id
        WHERE e.status = 'RUNNING' AND h.timestamp < ? AND e.execution_arn > ? ORDER BY e.execution_arn LIMIT ?`,
      [this.dialect.dateParam(idleSince), afterArn, limit],
    );
    return rows.map((row) => String(row['execution_arn']));
  }

  async staleInboxExecutions(olderThan: Date, limit: number): Promise<string[]> {
    const rows = await this.db.rows(
      `SELECT DISTINCT execution_arn FROM execution_inbox WHERE created_at < ? ORDER BY execution_arn LIMIT ?`,
      [this.dialect.dateParam(olderThan), limit],
    );
    return rows.map((row) => String(row['execution_arn']));
  }

  async pendingOutbox(limit: number, olderThan?: Date): Promise<OutboxEntry[]> {
    const rows = await this.db.rows(
      `SELECT id, execution_arn, command, created_at FROM execution_outbox${olderThan === undefined ? '' : ' WHERE created_at < ?'}
        ORDER BY id LIMIT ?`,
      olderThan === undefined ? [limit] : [this.dialect.dateParam(olderThan), limit],
    );
    return rows.map((row) => ({
      id: this.dialect.readInt(row['id']),
      executionArn: String(row['execution_arn']),
      command: this.dialect.readJson(row['command']) as Command,
      createdAt: this.dialect.readDate(row['created_at']),
    }));
  }

  async deleteOutbox(ids: readonly number[]): Promise<void> {
    for (const batch of batches(ids, 1, this.dialect.maxParams)) {
      await this.db.run(`DELETE FROM execution_outbox WHERE id IN (${placeholders(batch.length)})`, batch);
    }
  }

  // ── history ──────────────────────────────────────────────────────────────────────────────────────────────────

  async getHistory(
    executionArn: string,
    options: PageRequest & { readonly reverseOrder?: boolean },
  ): Promise<Page<StoredHistoryEvent>> {
    const limit = pageSize(options.maxResults);
    const reverse = options.reverseOrder ?? false;
    const after = options.nextToken === undefined ? undefined : historyAfter(options.nextToken, executionArn, reverse);
    const found = await this.db.rows(`SELECT 1 AS found FROM executions WHERE execution_arn = ?`, [executionArn]);
    if (found.length === 0)
      throw new ExecutionStoreError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    const rows = await this.db.rows(
      `SELECT ${HISTORY_COLUMNS} FROM history_events WHERE execution_arn = ?${after === undefined ? '' : ` AND id ${reverse ? '<' : '>'} ?`}
        ORDER BY id ${reverse ? 'DESC' : 'ASC'} LIMIT ?`,
      after === undefined ? [executionArn, limit + 1] : [executionArn, after, limit + 1],
    );
    return pageOf(
      rows.map((row) => this.toStoredEvent(row)),
      limit,
      (last) => historyToken(executionArn, reverse, last.event.id),
    );
  }

  async verifyHistory(executionArn: string): Promise<HistoryVerification> {
    return this.db.transaction('read', async (tx) => {
      const [head] = await tx.rows(`SELECT last_event_id, last_event_hash FROM executions WHERE execution_arn = ?`, [
        executionArn,
      ]);
      if (!head) throw new ExecutionStoreError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
      const verifier = new HistoryChainVerifier();
      let after = 0;
      for (;;) {
        const rows = await tx.rows(
          `SELECT ${HISTORY_COLUMNS} FROM history_events WHERE execution_arn = ? AND id > ? ORDER BY id LIMIT ?`,
          [executionArn, after, VERIFY_BATCH],
        );
        for (const row of rows) {
          const stored = this.toStoredEvent(row);
          after = stored.event.id;
          verifier.add(stored);
        }
        if (rows.length < VERIFY_BATCH) break;
      }
      return verifier.result({
        lastEventId: this.dialect.readInt(head['last_event_id']),
        lastEventHash: String(head['last_event_hash']),
      });
    });
  }

  // ── task tokens and activities ───────────────────────────────────────────────────────────────────────────────

  async findTaskToken(taskToken: string): Promise<TaskTokenRecord | undefined> {
    const [row] = await this.db.rows(
      `SELECT task_token, execution_arn, task_id FROM task_tokens WHERE task_token = ?`,
      [taskToken],
    );
    if (!row) return undefined;
    return {
      taskToken: String(row['task_token']),
      executionArn: String(row['execution_arn']),
      taskId: String(row['task_id']),
    };
  }

  async listTaskTokens(executionArn: string): Promise<IssuedTaskToken[]> {
    const rows = await this.db.rows(
      `SELECT task_token, execution_arn, task_id, created_at FROM task_tokens WHERE execution_arn = ?
        ORDER BY created_at, task_token`,
      [executionArn],
    );
    return rows.map((row) => ({
      taskToken: String(row['task_token']),
      executionArn: String(row['execution_arn']),
      taskId: String(row['task_id']),
      createdAt: this.dialect.readDate(row['created_at']),
    }));
  }

  async isTaskTokenTimedOut(taskToken: string): Promise<boolean> {
    const rows = await this.db.rows(`SELECT 1 AS found FROM timed_out_task_tokens WHERE task_token = ?`, [taskToken]);
    return rows.length > 0;
  }

  async createActivity(input: { readonly activityArn: string; readonly name: string }): Promise<ActivityRecord> {
    const creationDate = this.clock();
    const inserted = await this.db.run(
      `INSERT INTO activities (activity_arn, name, creation_date) VALUES (?, ?, ?) ON CONFLICT (activity_arn) DO NOTHING`,
      [input.activityArn, input.name, this.dialect.dateParam(creationDate)],
    );
    if (inserted === 0)
      throw new ExecutionStoreError('ActivityAlreadyExists', `Activity Already Exists: '${input.activityArn}'`);
    return { activityArn: input.activityArn, name: input.name, creationDate };
  }

  async findActivity(activityArn: string): Promise<ActivityRecord | undefined> {
    const [row] = await this.db.rows(
      `SELECT activity_arn, name, creation_date FROM activities WHERE activity_arn = ?`,
      [activityArn],
    );
    return row && this.toActivity(row);
  }

  async listActivities(page: PageRequest): Promise<Page<ActivityRecord>> {
    return this.pageByArn(
      'activities',
      page,
      async (after, limit) => {
        const rows = await this.db.rows(
          `SELECT activity_arn, name, creation_date FROM activities${after === undefined ? '' : ' WHERE activity_arn > ?'}
          ORDER BY activity_arn LIMIT ?`,
          after === undefined ? [limit] : [after, limit],
        );
        return rows.map((row) => this.toActivity(row));
      },
      (activity) => activity.activityArn,
    );
  }

  /** Deletes the activity and its tags; tasks already scheduled on it stay until their executions move on. Idempotent. */
  async deleteActivity(activityArn: string): Promise<void> {
    await this.db.transaction('write', async (tx) => {
      await tx.run(`DELETE FROM activities WHERE activity_arn = ?`, [activityArn]);
      await tx.run(`DELETE FROM resource_tags WHERE resource_arn = ?`, [activityArn]);
    });
  }

  // ── tags ───────────────────────────────────────────────────────────────────────────────────────────────────────

  async listTags(resourceArn: string): Promise<ResourceTag[]> {
    const rows = await this.db.rows(`SELECT tag_key, tag_value FROM resource_tags WHERE resource_arn = ?`, [
      resourceArn,
    ]);
    const tags = rows.map((row) => ({ key: String(row['tag_key']), value: String(row['tag_value']) }));
    // Sorted here, in code-unit order: the databases' collations differ, and a resource has at most 50 tags.
    return tags.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async tagResource(resourceArn: string, tags: readonly ResourceTag[]): Promise<void> {
    // The last value given for a key wins, as it would one call at a time; one statement may not upsert a row twice.
    const latest = [...new Map(tags.map((tag) => [tag.key, tag.value])).entries()];
    await this.db.transaction('write', async (tx) => {
      for (const batch of batches(latest, 3, this.dialect.maxParams)) {
        await tx.run(
          `INSERT INTO resource_tags (resource_arn, tag_key, tag_value) VALUES ${batch.map(() => '(?, ?, ?)').join(', ')}
            ON CONFLICT (resource_arn, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
          batch.flatMap(([key, value]) => [resourceArn, key, value]),
        );
      }
    });
  }

  async untagResource(resourceArn: string, keys: readonly string[]): Promise<void> {
    await this.db.transaction('write', async (tx) => {
      for (const batch of batches(keys, 1, this.dialect.maxParams - 1)) {
        await tx.run(
          `DELETE FROM resource_tags WHERE resource_arn = ? AND tag_key IN (${placeholders(batch.length)})`,
          [resourceArn, ...batch],
        );
      }
    });
  }

  async claimActivityTask(activityArn: string, workerName: string): Promise<ActivityTaskRecord | undefined> {
    // One statement: the oldest unclaimed task is picked and marked in one step. On Postgres, SKIP LOCKED lets a
    // concurrent claim pass over a task being taken and take the next one (or none).
    const [row] = await this.db.rows(
      `UPDATE activity_tasks SET worker_name = ?, claimed_date = ?
        WHERE task_token = (
          SELECT task_token FROM activity_tasks WHERE activity_arn = ? AND claimed_date IS NULL
            ORDER BY created_at, task_token LIMIT 1${this.dialect.skipLockedClause})
          AND claimed_date IS NULL
        RETURNING task_token, activity_arn, execution_arn, input, created_at`,
      [workerName, this.dialect.dateParam(this.clock()), activityArn],
    );
    if (!row) return undefined;
    return {
      taskToken: String(row['task_token']),
      activityArn: String(row['activity_arn']),
      executionArn: String(row['execution_arn']),
      input: String(row['input']),
      createdAt: this.dialect.readDate(row['created_at']),
    };
  }

  async ping(): Promise<void> {
    await this.db.rows('SELECT 1 AS ok');
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  // ── writes shared by createExecution and commitStep ──────────────────────────────────────────────────────────

  private async insertRevision(tx: SqlSession, revision: StateMachineRevision): Promise<void> {
    await tx.run(
      `INSERT INTO state_machine_revisions (revision_id, state_machine_arn, definition, role_arn, creation_date) VALUES (?, ?, ?, ?, ?)`,
      [
        revision.revisionId,
        revision.stateMachineArn,
        revision.definition,
        revision.roleArn,
        this.dialect.dateParam(revision.creationDate),
      ],
    );
  }

  private async insertEvents(
    tx: SqlSession,
    executionArn: string,
    chained: readonly ChainedHistoryEvent[],
  ): Promise<void> {
    for (const batch of batches(chained, 8, this.dialect.maxParams)) {
      const params: unknown[] = [];
      for (const { event, previousHash, hash } of batch) {
        const columns = historyEventToColumns(event);
        params.push(
          executionArn,
          columns.id,
          columns.previousEventId,
          columns.type,
          this.dialect.dateParam(new Date(columns.timestamp)),
          JSON.stringify(columns.details),
          previousHash,
          hash,
        );
      }
      await tx.run(
        `INSERT INTO history_events (execution_arn, ${HISTORY_COLUMNS}) VALUES ${batch.map(() => `(${placeholders(8)})`).join(', ')}`,
        params,
      );
    }
  }

  /**
   * Deletes the inbox entries a step consumed. Each must still be there: if one is gone, another step consumed it
   * first — even a step that appended no event (a heartbeat) — and this step was computed from stale state.
   */
  private async consumeInbox(tx: SqlSession, executionArn: string, ids: readonly number[]): Promise<void> {
    const unique = [...new Set(ids)];
    let deleted = 0;
    for (const batch of batches(unique, 1, this.dialect.maxParams - 1)) {
      deleted += await tx.run(
        `DELETE FROM execution_inbox WHERE execution_arn = ? AND id IN (${placeholders(batch.length)})`,
        [executionArn, ...batch],
      );
    }
    if (deleted !== unique.length) {
      throw concurrentModification(
        executionArn,
        `${unique.length - deleted} of the inbox entries it consumed were already consumed`,
      );
    }
  }

  /**
   * Makes the execution's task tokens exactly `tokens`. Only the difference is written: a wide Map waiting on many
   * callbacks does not rewrite them all at every step. Activity tasks whose token is gone are withdrawn with it.
   */
  private async replaceTaskTokens(
    tx: SqlSession,
    executionArn: string,
    tokens: readonly { readonly taskToken: string; readonly taskId: string }[],
    now: Date,
  ): Promise<void> {
    const existing = await tx.rows(`SELECT task_token FROM task_tokens WHERE execution_arn = ?`, [executionArn]);
    const wanted = new Set(tokens.map((token) => token.taskToken));
    const held = new Set(existing.map((row) => String(row['task_token'])));
    const removed = [...held].filter((token) => !wanted.has(token));
    const added = tokens.filter((token) => !held.has(token.taskToken));
    for (const batch of batches(removed, 1, this.dialect.maxParams)) {
      await tx.run(`DELETE FROM task_tokens WHERE task_token IN (${placeholders(batch.length)})`, batch);
      await tx.run(`DELETE FROM activity_tasks WHERE task_token IN (${placeholders(batch.length)})`, batch);
    }
    await this.insertTaskTokens(tx, executionArn, added, now);
  }

  private async insertTaskTokens(
    tx: SqlSession,
    executionArn: string,
    tokens: readonly { readonly taskToken: string; readonly taskId: string }[],
    now: Date,
  ): Promise<void> {
    const date = this.dialect.dateParam(now);
    for (const batch of batches(tokens, 4, this.dialect.maxParams)) {
      await tx.run(
        `INSERT INTO task_tokens (task_token, execution_arn, task_id, created_at) VALUES ${batch.map(() => '(?, ?, ?, ?)').join(', ')}`,
        batch.flatMap((token) => [token.taskToken, executionArn, token.taskId, date]),
      );
    }
  }

  private async insertTimedOutTaskTokens(
    tx: SqlSession,
    executionArn: string,
    tokens: readonly string[],
    now: Date,
  ): Promise<void> {
    const date = this.dialect.dateParam(now);
    for (const batch of batches(tokens, 3, this.dialect.maxParams)) {
      await tx.run(
        `INSERT INTO timed_out_task_tokens (task_token, execution_arn, timed_out_date) VALUES ${batch.map(() => '(?, ?, ?)').join(', ')}
          ON CONFLICT (task_token) DO NOTHING`,
        batch.flatMap((token) => [token, executionArn, date]),
      );
    }
  }

  private async insertActivityTasks(
    tx: SqlSession,
    tasks: readonly Omit<ActivityTaskRecord, 'createdAt'>[],
    now: Date,
  ): Promise<void> {
    const date = this.dialect.dateParam(now);
    for (const batch of batches(tasks, 5, this.dialect.maxParams)) {
      await tx.run(
        `INSERT INTO activity_tasks (task_token, activity_arn, execution_arn, input, created_at)
          VALUES ${batch.map(() => '(?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (task_token) DO NOTHING`,
        batch.flatMap((task) => [task.taskToken, task.activityArn, task.executionArn, task.input, date]),
      );
    }
  }

  private async insertOutbox(
    tx: SqlSession,
    executionArn: string,
    commands: readonly Command[],
    now: Date,
  ): Promise<OutboxEntry[]> {
    const entries: OutboxEntry[] = [];
    const date = this.dialect.dateParam(now);
    for (const batch of batches(commands, 3, this.dialect.maxParams)) {
      const rows = await tx.rows(
        `INSERT INTO execution_outbox (execution_arn, command, created_at) VALUES ${batch.map(() => '(?, ?, ?)').join(', ')} RETURNING id`,
        batch.flatMap((command) => [executionArn, JSON.stringify(command), date]),
      );
      // RETURNING promises no order; the ids of one statement do increase in the order of its rows.
      const ids = rows.map((row) => this.dialect.readInt(row['id'])).sort((a, b) => a - b);
      batch.forEach((command, i) => {
        const id = ids[i];
        if (id === undefined) throw new Error('INSERT … RETURNING returned fewer ids than rows');
        entries.push({ id, executionArn, command, createdAt: now });
      });
    }
    return entries;
  }

  // ── rows to records ──────────────────────────────────────────────────────────────────────────────────────────

  private async pageByArn<T>(
    listing: ArnListing,
    page: PageRequest,
    read: (after: string | undefined, limit: number) => Promise<T[]>,
    arnOf: (item: T) => string,
  ): Promise<Page<T>> {
    const limit = pageSize(page.maxResults);
    const after = page.nextToken === undefined ? undefined : arnAfter(page.nextToken, listing);
    return pageOf(await read(after, limit + 1), limit, (last) => arnToken(listing, arnOf(last)));
  }

  private toStateMachine(row: SqlRow): StateMachineRecord {
    return {
      stateMachineArn: String(row['state_machine_arn']),
      name: String(row['name']),
      type: row['type'] as StateMachineType,
      roleArn: String(row['role_arn']),
      definition: String(row['definition']),
      revisionId: String(row['revision_id']),
      creationDate: this.dialect.readDate(row['creation_date']),
      updateDate: this.dialect.readDate(row['update_date']),
    };
  }

  private toExecution(row: SqlRow): ExecutionRecord {
    const nullable = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
    return {
      executionArn: String(row['execution_arn']),
      stateMachineArn: String(row['state_machine_arn']),
      revisionId: String(row['revision_id']),
      name: String(row['name']),
      status: row['status'] as ExecutionStatus,
      input: String(row['input']),
      output: nullable(row['output']),
      error: nullable(row['error']),
      cause: nullable(row['cause']),
      startDate: this.dialect.readDate(row['start_date']),
      stopDate:
        row['stop_date'] === null || row['stop_date'] === undefined ? null : this.dialect.readDate(row['stop_date']),
      lastEventId: this.dialect.readInt(row['last_event_id']),
    };
  }

  private toStoredEvent(row: SqlRow): StoredHistoryEvent {
    const event: HistoryEvent = historyEventFromColumns({
      id: this.dialect.readInt(row['id']),
      previousEventId: this.dialect.readInt(row['previous_event_id']),
      type: row['type'] as HistoryEvent['type'],
      timestamp: this.dialect.readDate(row['timestamp']).toISOString(),
      details: this.dialect.readJson(row['details']) as Record<string, unknown>,
    });
    return { event, previousHash: String(row['previous_hash']), hash: String(row['hash']) };
  }

  private toActivity(row: SqlRow): ActivityRecord {
    return {
      activityArn: String(row['activity_arn']),
      name: String(row['name']),
      creationDate: this.dialect.readDate(row['creation_date']),
    };
  }
}

/** A LIKE pattern, for `ESCAPE '\'`, of text containing `text`: its `%`, `_` and `\` are taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

function concurrentModification(executionArn: string, why: string): ExecutionStoreError {
  return new ExecutionStoreError(
    'ConcurrentModification',
    `Execution '${executionArn}' changed since this step began: ${why}`,
  );
}
