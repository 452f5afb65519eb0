import { randomUUID } from 'node:crypto';
import type { Command, ExecutionSnapshot, HistoryEvent, InboxMessage } from '@lib/asl';
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

interface StoredStateMachine {
  readonly stateMachineArn: string;
  readonly name: string;
  readonly type: StateMachineType;
  readonly revisionId: string;
  readonly creationDate: Date;
  readonly updateDate: Date;
  readonly deleted: boolean;
}

interface StoredExecution {
  readonly record: ExecutionRecord;
  /** JSON text, as a database holds it: every load gets its own copy to step. */
  readonly snapshot: string;
  readonly lastEventHash: string;
}

interface StoredActivityTask {
  readonly record: ActivityTaskRecord;
  readonly claimedBy?: string;
}

/**
 * The execution store in memory, for fast tests of the durable driver. It keeps the contract of the SQL stores
 * (the same suite runs against it): each method runs to completion without yielding, which makes it one
 * transaction; values go in and come out as copies, the way they cross a database boundary.
 */
export class InMemoryExecutionStore implements ExecutionStore {
  private readonly stateMachines = new Map<string, StoredStateMachine>();
  private readonly revisions = new Map<string, StateMachineRevision>();
  private readonly executions = new Map<string, StoredExecution>();
  /** Execution ARN by state machine and name: StartExecution's idempotency key. */
  private readonly executionsByName = new Map<string, string>();
  /** Each execution's chained events, in id order. Protected so a test can tamper with them. */
  protected readonly histories = new Map<string, ChainedHistoryEvent[]>();
  /** Insertion order is id order. */
  private readonly inbox = new Map<number, { readonly executionArn: string; readonly message: string; readonly createdAt: Date }>();
  private readonly outbox = new Map<number, OutboxEntry>();
  private readonly taskTokens = new Map<string, IssuedTaskToken>();
  private readonly activities = new Map<string, ActivityRecord>();
  private readonly activityTasks = new Map<string, StoredActivityTask>();
  private readonly timedOutTaskTokens = new Set<string>();
  /** Each resource's tags, value by key. */
  private readonly tags = new Map<string, Map<string, string>>();
  private lastInboxId = 0;
  private lastOutboxId = 0;

  constructor(private readonly clock: () => Date = () => new Date()) {}

  // ── state machines ───────────────────────────────────────────────────────────────────────────────────────────

  async createStateMachine(input: {
    readonly stateMachineArn: string;
    readonly name: string;
    readonly type: StateMachineType;
    readonly roleArn: string;
    readonly definition: string;
  }): Promise<StateMachineRecord> {
    const existing = this.stateMachines.get(input.stateMachineArn);
    if (existing && !existing.deleted) {
      throw new ExecutionStoreError(
        'StateMachineAlreadyExists',
        `State Machine Already Exists: '${input.stateMachineArn}'`,
      );
    }
    const now = this.clock();
    const revisionId = randomUUID();
    this.revisions.set(revisionId, {
      revisionId,
      stateMachineArn: input.stateMachineArn,
      definition: input.definition,
      roleArn: input.roleArn,
      creationDate: now,
    });
    this.stateMachines.set(input.stateMachineArn, {
      stateMachineArn: input.stateMachineArn,
      name: input.name,
      type: input.type,
      revisionId,
      creationDate: now,
      updateDate: now,
      deleted: false,
    });
    return this.toStateMachine(input.stateMachineArn) as StateMachineRecord;
  }

  async findStateMachine(stateMachineArn: string): Promise<StateMachineRecord | undefined> {
    return this.toStateMachine(stateMachineArn);
  }

  async listStateMachines(page: PageRequest): Promise<Page<StateMachineRecord>> {
    const live = [...this.stateMachines.values()]
      .filter((machine) => !machine.deleted)
      .map((machine) => machine.stateMachineArn);
    return this.pageByArn('state-machines', page, live, (arn) => this.toStateMachine(arn) as StateMachineRecord);
  }

  async updateStateMachine(
    stateMachineArn: string,
    changes: { readonly definition?: string; readonly roleArn?: string },
  ): Promise<StateMachineRecord> {
    const current = this.toStateMachine(stateMachineArn);
    const machine = this.stateMachines.get(stateMachineArn);
    if (!current || !machine)
      throw new ExecutionStoreError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    const definition = changes.definition ?? current.definition;
    const roleArn = changes.roleArn ?? current.roleArn;
    if (definition === current.definition && roleArn === current.roleArn) return current;
    const now = this.clock();
    const revisionId = randomUUID();
    this.revisions.set(revisionId, { revisionId, stateMachineArn, definition, roleArn, creationDate: now });
    this.stateMachines.set(stateMachineArn, { ...machine, revisionId, updateDate: now });
    return this.toStateMachine(stateMachineArn) as StateMachineRecord;
  }

  async deleteStateMachine(stateMachineArn: string): Promise<void> {
    const machine = this.stateMachines.get(stateMachineArn);
    if (machine) this.stateMachines.set(stateMachineArn, { ...machine, deleted: true });
    this.tags.delete(stateMachineArn);
  }

  async findRevision(revisionId: string): Promise<StateMachineRevision | undefined> {
    const revision = this.revisions.get(revisionId);
    return revision && { ...revision, creationDate: new Date(revision.creationDate) };
  }

  async countExecutionsByStatus(stateMachineArn: string): Promise<ExecutionCounts> {
    return (await this.countExecutionsByStateMachine([stateMachineArn])).get(stateMachineArn) ?? {};
  }

  async countExecutionsByStateMachine(stateMachineArns: readonly string[]): Promise<Map<string, ExecutionCounts>> {
    const counts = new Map<string, ExecutionCounts>(stateMachineArns.map((arn) => [arn, {}]));
    for (const { record } of this.executions.values()) {
      const machine = counts.get(record.stateMachineArn);
      if (machine) machine[record.status] = (machine[record.status] ?? 0) + 1;
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
    const { record } = start;
    const machine = this.stateMachines.get(record.stateMachineArn);
    const revision = this.revisions.get(record.revisionId);
    if (!machine || machine.deleted || revision?.stateMachineArn !== record.stateMachineArn) {
      throw new ExecutionStoreError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${record.stateMachineArn}' (revision '${record.revisionId}')`,
      );
    }
    const nameKey = `${record.stateMachineArn}\n${record.name}`;
    const existing =
      this.executions.get(record.executionArn) ?? this.executions.get(this.executionsByName.get(nameKey) ?? '');
    if (existing) return { created: false, execution: copyExecution(existing.record), outbox: [] };

    const chained = chainHistoryEvents(GENESIS_HASH, start.events);
    const head = chained.at(-1);
    const execution: ExecutionRecord = copyExecution({ ...record, lastEventId: head?.event.id ?? 0 });
    const now = this.clock();
    this.executionsByName.set(nameKey, record.executionArn);
    this.executions.set(record.executionArn, {
      record: execution,
      snapshot: JSON.stringify(start.snapshot),
      lastEventHash: head?.hash ?? GENESIS_HASH,
    });
    this.histories.set(record.executionArn, chained.map(copyChained));
    this.replaceTaskTokens(record.executionArn, start.taskTokens, now);
    this.addActivityTasks(start.activityTasks ?? [], now);
    return {
      created: true,
      execution: copyExecution(execution),
      outbox: this.addOutbox(record.executionArn, start.commands, now),
    };
  }

  async findExecution(executionArn: string): Promise<ExecutionRecord | undefined> {
    const stored = this.executions.get(executionArn);
    return stored && copyExecution(stored.record);
  }

  async listExecutions(filter: ExecutionListFilter, page: PageRequest): Promise<Page<ExecutionRecord>> {
    const limit = pageSize(page.maxResults);
    const after = page.nextToken === undefined ? undefined : executionsAfter(page.nextToken, filter);
    const { startedAfter, startedBefore } = filter;
    const search = filter.search === undefined ? undefined : foldAsciiCase(filter.search);
    const matching = [...this.executions.values()]
      .map(({ record }) => record)
      .filter(
        (record) =>
          (filter.stateMachineArn === undefined || record.stateMachineArn === filter.stateMachineArn) &&
          (filter.statusFilter === undefined || record.status === filter.statusFilter) &&
          (startedAfter === undefined || record.startDate.getTime() >= startedAfter.getTime()) &&
          (startedBefore === undefined || record.startDate.getTime() < startedBefore.getTime()) &&
          (search === undefined ||
            foldAsciiCase(record.name).includes(search) ||
            foldAsciiCase(record.executionArn).includes(search)) &&
          (after === undefined || compareNewestFirst(record, after) > 0),
      )
      .sort(compareNewestFirst)
      .slice(0, limit + 1)
      .map(copyExecution);
    return pageOf(matching, limit, (last) => executionsToken(filter, last));
  }

  async loadForStep(
    executionArn: string,
  ): Promise<
    | { readonly execution: ExecutionRecord; readonly snapshot: ExecutionSnapshot; readonly inbox: InboxEntry[] }
    | undefined
  > {
    const stored = this.executions.get(executionArn);
    if (!stored) return undefined;
    const inbox: InboxEntry[] = [];
    for (const [id, entry] of this.inbox) {
      if (entry.executionArn === executionArn) inbox.push({ id, message: JSON.parse(entry.message) as InboxMessage });
    }
    return {
      execution: copyExecution(stored.record),
      snapshot: JSON.parse(stored.snapshot) as ExecutionSnapshot,
      inbox,
    };
  }

  async commitStep(commit: StepCommit): Promise<{ readonly outbox: readonly OutboxEntry[] }> {
    checkEventsFollowOn(commit.expectedLastEventId, commit.events);
    const { executionArn } = commit;
    const stored = this.executions.get(executionArn);
    if (!stored) throw new ExecutionStoreError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    if (stored.record.lastEventId !== commit.expectedLastEventId) {
      throw concurrentModification(
        executionArn,
        `its last event is ${stored.record.lastEventId}, not ${commit.expectedLastEventId}`,
      );
    }
    const consumed = [...new Set(commit.consumedInboxIds)];
    const missing = consumed.filter((id) => this.inbox.get(id)?.executionArn !== executionArn).length;
    if (missing > 0)
      throw concurrentModification(executionArn, `${missing} of the inbox entries it consumed were already consumed`);

    // Every check is done: from here on nothing throws, so the commit is all or nothing.
    for (const id of consumed) this.inbox.delete(id);
    const chained = chainHistoryEvents(stored.lastEventHash, commit.events);
    const head = chained.at(-1);
    this.histories.get(executionArn)?.push(...chained.map(copyChained));
    this.executions.set(executionArn, {
      record: {
        ...stored.record,
        status: commit.status,
        output: commit.output,
        error: commit.error,
        cause: commit.cause,
        stopDate: commit.stopDate && new Date(commit.stopDate),
        lastEventId: head?.event.id ?? stored.record.lastEventId,
      },
      snapshot: JSON.stringify(commit.snapshot),
      lastEventHash: head?.hash ?? stored.lastEventHash,
    });
    const now = this.clock();
    this.replaceTaskTokens(executionArn, commit.taskTokens, now);
    for (const taskToken of commit.timedOutTaskTokens ?? []) this.timedOutTaskTokens.add(taskToken);
    this.addActivityTasks(commit.activityTasks, now);
    return { outbox: this.addOutbox(executionArn, commit.commands, now) };
  }

  async appendInbox(executionArn: string, message: InboxMessage): Promise<number> {
    if (!this.executions.has(executionArn))
      throw new ExecutionStoreError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    const id = ++this.lastInboxId;
    this.inbox.set(id, { executionArn, message: JSON.stringify(message), createdAt: this.clock() });
    return id;
  }

  async idleRunningExecutions(idleSince: Date, limit: number, afterArn = ''): Promise<string[]> {
    const idle: string[] = [];
    for (const [arn, stored] of this.executions) {
      if (stored.record.status !== 'RUNNING' || arn <= afterArn) continue;
      const last = this.histories.get(arn)?.at(-1);
      if (last && Date.parse(last.event.timestamp) < idleSince.getTime()) idle.push(arn);
    }
    // ARN order, as the SQL stores return them, so that a caller can page with `afterArn`.
    return idle.sort().slice(0, limit);
  }

  async staleInboxExecutions(olderThan: Date, limit: number): Promise<string[]> {
    const stale = new Set<string>();
    for (const entry of this.inbox.values()) {
      if (stale.size >= limit) break;
      if (entry.createdAt.getTime() < olderThan.getTime()) stale.add(entry.executionArn);
    }
    return [...stale];
  }

  // ── outbox ───────────────────────────────────────────────────────────────────────────────────────────────────

  async pendingOutbox(limit: number, olderThan?: Date): Promise<OutboxEntry[]> {
    const pending: OutboxEntry[] = [];
    for (const entry of this.outbox.values()) {
      if (pending.length >= limit) break;
      if (olderThan === undefined || entry.createdAt.getTime() < olderThan.getTime()) pending.push(copyOutbox(entry));
    }
    return pending;
  }

  async deleteOutbox(ids: readonly number[]): Promise<void> {
    for (const id of ids) this.outbox.delete(id);
  }

  // ── history ──────────────────────────────────────────────────────────────────────────────────────────────────

  async getHistory(
    executionArn: string,
    options: PageRequest & { readonly reverseOrder?: boolean },
  ): Promise<Page<StoredHistoryEvent>> {
    const limit = pageSize(options.maxResults);
    const reverse = options.reverseOrder ?? false;
    const after = options.nextToken === undefined ? undefined : historyAfter(options.nextToken, executionArn, reverse);
    const history = this.histories.get(executionArn);
    if (!history) throw new ExecutionStoreError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    const ordered = reverse ? [...history].reverse() : history;
    const read = ordered.filter(
      (stored) => after === undefined || (reverse ? stored.event.id < after : stored.event.id > after),
    );
    return pageOf(read.slice(0, limit + 1).map(copyChained), limit, (last) =>
      historyToken(executionArn, reverse, last.event.id),
    );
  }

  async verifyHistory(executionArn: string): Promise<HistoryVerification> {
    const stored = this.executions.get(executionArn);
    const history = this.histories.get(executionArn);
    if (!stored || !history)
      throw new ExecutionStoreError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    const verifier = new HistoryChainVerifier();
    for (const event of history) verifier.add(event);
    return verifier.result({ lastEventId: stored.record.lastEventId, lastEventHash: stored.lastEventHash });
  }

  // ── task tokens and activities ───────────────────────────────────────────────────────────────────────────────

  async findTaskToken(taskToken: string): Promise<TaskTokenRecord | undefined> {
    const token = this.taskTokens.get(taskToken);
    return token && { taskToken: token.taskToken, executionArn: token.executionArn, taskId: token.taskId };
  }

  async listTaskTokens(executionArn: string): Promise<IssuedTaskToken[]> {
    const tokens: IssuedTaskToken[] = [];
    for (const token of this.taskTokens.values()) {
      if (token.executionArn === executionArn) tokens.push({ ...token, createdAt: new Date(token.createdAt) });
    }
    return tokens.sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || compareText(a.taskToken, b.taskToken),
    );
  }

  async isTaskTokenTimedOut(taskToken: string): Promise<boolean> {
    return this.timedOutTaskTokens.has(taskToken);
  }

  async createActivity(input: { readonly activityArn: string; readonly name: string }): Promise<ActivityRecord> {
    if (this.activities.has(input.activityArn)) {
      throw new ExecutionStoreError('ActivityAlreadyExists', `Activity Already Exists: '${input.activityArn}'`);
    }
    const activity: ActivityRecord = { activityArn: input.activityArn, name: input.name, creationDate: this.clock() };
    this.activities.set(input.activityArn, activity);
    return copyActivity(activity);
  }

  async findActivity(activityArn: string): Promise<ActivityRecord | undefined> {
    const activity = this.activities.get(activityArn);
    return activity && copyActivity(activity);
  }

  async listActivities(page: PageRequest): Promise<Page<ActivityRecord>> {
    return this.pageByArn('activities', page, [...this.activities.keys()], (arn) =>
      copyActivity(this.activities.get(arn) as ActivityRecord),
    );
  }

  async deleteActivity(activityArn: string): Promise<void> {
    this.activities.delete(activityArn);
    this.tags.delete(activityArn);
  }

  async claimActivityTask(activityArn: string, workerName: string): Promise<ActivityTaskRecord | undefined> {
    let oldest: StoredActivityTask | undefined;
    for (const task of this.activityTasks.values()) {
      if (task.claimedBy !== undefined || task.record.activityArn !== activityArn) continue;
      if (!oldest || compareTasks(task.record, oldest.record) < 0) oldest = task;
    }
    if (!oldest) return undefined;
    this.activityTasks.set(oldest.record.taskToken, { ...oldest, claimedBy: workerName });
    return { ...oldest.record, createdAt: new Date(oldest.record.createdAt) };
  }

  // ── tags ───────────────────────────────────────────────────────────────────────────────────────────────────────

  async listTags(resourceArn: string): Promise<ResourceTag[]> {
    const tags = [...(this.tags.get(resourceArn) ?? new Map<string, string>())];
    // Code-unit order, as the SQL stores sort text ('C' collation on Postgres, binary on SQLite).
    return tags.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, value]) => ({ key, value }));
  }

  async tagResource(resourceArn: string, tags: readonly ResourceTag[]): Promise<void> {
    const held = this.tags.get(resourceArn) ?? new Map<string, string>();
    for (const { key, value } of tags) held.set(key, value);
    this.tags.set(resourceArn, held);
  }

  async untagResource(resourceArn: string, keys: readonly string[]): Promise<void> {
    const held = this.tags.get(resourceArn);
    for (const key of keys) held?.delete(key);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────────

  private toStateMachine(stateMachineArn: string): StateMachineRecord | undefined {
    const machine = this.stateMachines.get(stateMachineArn);
    const revision = machine && this.revisions.get(machine.revisionId);
    if (!machine || machine.deleted || !revision) return undefined;
    return {
      stateMachineArn,
      name: machine.name,
      type: machine.type,
      roleArn: revision.roleArn,
      definition: revision.definition,
      revisionId: machine.revisionId,
      creationDate: new Date(machine.creationDate),
      updateDate: new Date(machine.updateDate),
    };
  }

  private pageByArn<T>(
    listing: ArnListing,
    page: PageRequest,
    arns: readonly string[],
    load: (arn: string) => T,
  ): Page<T> {
    const limit = pageSize(page.maxResults);
    const after = page.nextToken === undefined ? undefined : arnAfter(page.nextToken, listing);
    const read = arns
      .filter((arn) => after === undefined || compareText(arn, after) > 0)
      .sort(compareText)
      .slice(0, limit + 1);
    return mapPage(
      pageOf(read, limit, (last) => arnToken(listing, last)),
      load,
    );
  }

  private replaceTaskTokens(
    executionArn: string,
    tokens: readonly { readonly taskToken: string; readonly taskId: string }[],
    now: Date,
  ): void {
    const wanted = new Set(tokens.map((token) => token.taskToken));
    for (const [taskToken, token] of this.taskTokens) {
      if (token.executionArn === executionArn && !wanted.has(taskToken)) {
        this.taskTokens.delete(taskToken);
        this.activityTasks.delete(taskToken);
      }
    }
    for (const { taskToken, taskId } of tokens) {
      if (!this.taskTokens.has(taskToken))
        this.taskTokens.set(taskToken, { taskToken, executionArn, taskId, createdAt: now });
    }
  }

  private addActivityTasks(tasks: readonly Omit<ActivityTaskRecord, 'createdAt'>[], now: Date): void {
    for (const task of tasks) {
      if (!this.activityTasks.has(task.taskToken))
        this.activityTasks.set(task.taskToken, { record: { ...task, createdAt: now } });
    }
  }

  private addOutbox(executionArn: string, commands: readonly Command[], now: Date): OutboxEntry[] {
    return commands.map((command) => {
      const entry: OutboxEntry = {
        id: ++this.lastOutboxId,
        executionArn,
        command: JSON.parse(JSON.stringify(command)) as Command,
        createdAt: now,
      };
      this.outbox.set(entry.id, entry);
      return copyOutbox(entry);
    });
  }
}

/**
 * Code-unit order, as the SQL stores sort text: Postgres with the C collation and SQLite's BINARY agree with it
 * for the ASCII that ARNs are made of.
 */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ListExecutions' order: newest start first, then ARN descending. */
function compareNewestFirst(
  a: { readonly startDate: Date; readonly executionArn: string },
  b: { readonly startDate: Date; readonly executionArn: string },
): number {
  return b.startDate.getTime() - a.startDate.getTime() || compareText(b.executionArn, a.executionArn);
}

/** Lower-cases ASCII letters only, as SQLite's LIKE compares them (names and ARNs are ASCII). */
function foldAsciiCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

function compareTasks(a: ActivityTaskRecord, b: ActivityTaskRecord): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || compareText(a.taskToken, b.taskToken);
}

function concurrentModification(executionArn: string, why: string): ExecutionStoreError {
  return new ExecutionStoreError(
    'ConcurrentModification',
    `Execution '${executionArn}' changed since this step began: ${why}`,
  );
}

function mapPage<T, U>(page: Page<T>, map: (item: T) => U): Page<U> {
  return page.nextToken === undefined
    ? { items: page.items.map(map) }
    : { items: page.items.map(map), nextToken: page.nextToken };
}

function copyExecution(record: ExecutionRecord): ExecutionRecord {
  return { ...record, startDate: new Date(record.startDate), stopDate: record.stopDate && new Date(record.stopDate) };
}

/** Events cross the store as JSON, as they would through a database column. */
function copyChained(stored: ChainedHistoryEvent): ChainedHistoryEvent {
  return {
    event: JSON.parse(JSON.stringify(stored.event)) as HistoryEvent,
    previousHash: stored.previousHash,
    hash: stored.hash,
  };
}

function copyOutbox(entry: OutboxEntry): OutboxEntry {
  return { ...entry, command: structuredClone(entry.command), createdAt: new Date(entry.createdAt) };
}

function copyActivity(activity: ActivityRecord): ActivityRecord {
  return { ...activity, creationDate: new Date(activity.creationDate) };
}
