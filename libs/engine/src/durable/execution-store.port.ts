import type { Command, ExecutionSnapshot, ExecutionStatus, HistoryEvent, InboxMessage } from '@lib/asl';

/** A Standard or Express state machine, as DescribeStateMachine reports it. */
export type StateMachineType = 'STANDARD' | 'EXPRESS';

/** A state machine and its current revision. */
export interface StateMachineRecord {
  readonly stateMachineArn: string;
  readonly name: string;
  readonly type: StateMachineType;
  readonly roleArn: string;
  /** The current revision's definition, as JSON text exactly as submitted. */
  readonly definition: string;
  /** Id of the current revision: executions keep the revision they started with. */
  readonly revisionId: string;
  readonly creationDate: Date;
  readonly updateDate: Date;
}

/** One revision of a state machine's definition; never changes once written. */
export interface StateMachineRevision {
  readonly revisionId: string;
  readonly stateMachineArn: string;
  readonly definition: string;
  readonly roleArn: string;
  readonly creationDate: Date;
}

/** An execution, as DescribeExecution reports it. */
export interface ExecutionRecord {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly revisionId: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  /** JSON text. */
  readonly input: string;
  readonly output: string | null;
  readonly error: string | null;
  readonly cause: string | null;
  readonly startDate: Date;
  readonly stopDate: Date | null;
  /** Id of the last history event: the version a step's commit is conditional on. */
  readonly lastEventId: number;
}

/** A stored history event: the interpreter's event plus the hash chain that makes tampering evident. */
export interface StoredHistoryEvent {
  readonly event: HistoryEvent;
  /** SHA-256 (hex) of the previous event's hash and this event's canonical JSON; `''` before the first event. */
  readonly previousHash: string;
  readonly hash: string;
}

/** Work a committed step asks for, dispatched to the queue after the commit (the transactional outbox). */
export interface OutboxEntry {
  readonly id: number;
  readonly executionArn: string;
  readonly command: Command;
  readonly createdAt: Date;
}

/** An outcome waiting to be fed to the interpreter at the execution's next step (the execution's inbox). */
export interface InboxEntry {
  readonly id: number;
  readonly message: InboxMessage;
}

/** A `.waitForTaskToken` token the API can complete: which execution and which task it stands for. */
export interface TaskTokenRecord {
  readonly taskToken: string;
  readonly executionArn: string;
  readonly taskId: string;
}

/** A task token and when the step that scheduled its task committed it. */
export interface IssuedTaskToken extends TaskTokenRecord {
  readonly createdAt: Date;
}

/** An activity (`arn:aws:states:…:activity:NAME`) that external workers poll. */
export interface ActivityRecord {
  readonly activityArn: string;
  readonly name: string;
  readonly creationDate: Date;
}

/** A tag on a state machine or an activity (TagResource, ListTagsForResource). */
export interface ResourceTag {
  readonly key: string;
  readonly value: string;
}

/** A task scheduled on an activity, waiting for a worker's GetActivityTask. */
export interface ActivityTaskRecord {
  readonly taskToken: string;
  readonly activityArn: string;
  readonly executionArn: string;
  /** The task's input as JSON text. */
  readonly input: string;
  readonly createdAt: Date;
}

/** The start of an execution: its record, the interpreter's first step, and that step's commands. */
export interface NewExecution {
  readonly record: Omit<ExecutionRecord, 'lastEventId'>;
  readonly snapshot: ExecutionSnapshot;
  readonly events: readonly HistoryEvent[];
  readonly commands: readonly Command[];
  readonly taskTokens: readonly { taskToken: string; taskId: string }[];
  /** Activity tasks the first step scheduled (a machine whose first state is an activity Task), as in StepCommit. */
  readonly activityTasks?: readonly Omit<ActivityTaskRecord, 'createdAt'>[];
}

/** The result of one step, committed atomically if (and only if) nobody else committed since `expectedLastEventId`. */
export interface StepCommit {
  readonly executionArn: string;
  readonly expectedLastEventId: number;
  readonly snapshot: ExecutionSnapshot;
  readonly events: readonly HistoryEvent[];
  readonly commands: readonly Command[];
  /** Inbox entries this step consumed: deleted in the same transaction. */
  readonly consumedInboxIds: readonly number[];
  /** Every task token the execution still waits on after this step (replaces the previous set). */
  readonly taskTokens: readonly { taskToken: string; taskId: string }[];
  /**
   * Activity tasks this step scheduled. Each one's token is also among `taskTokens`: a task is withdrawn (never
   * handed to a worker) once a later step drops its token.
   */
  readonly activityTasks: readonly Omit<ActivityTaskRecord, 'createdAt'>[];
  /**
   * Tokens this step dropped because their task (or the whole execution) timed out. They are remembered so that a
   * late SendTaskSuccess/Failure/Heartbeat is told TaskTimedOut, as Step Functions tells it, rather than that the
   * token never existed.
   */
  readonly timedOutTaskTokens?: readonly string[];
  readonly status: ExecutionStatus;
  readonly output: string | null;
  readonly error: string | null;
  readonly cause: string | null;
  readonly stopDate: Date | null;
}

/** A page of results and the token for the next page. */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/** Counts of executions by status; a status no execution has is left out. */
export type ExecutionCounts = Partial<Record<ExecutionStatus, number>>;

/**
 * Which executions a listing returns. ListExecutions filters by state machine and status; the REST API adds the
 * start-date range and the search its dashboard needs. A page token continues only the listing with the same filter.
 */
export interface ExecutionListFilter {
  readonly stateMachineArn?: string;
  readonly statusFilter?: ExecutionStatus;
  /** Executions that started at or after this instant. */
  readonly startedAfter?: Date;
  /** Executions that started before this instant. */
  readonly startedBefore?: Date;
  /**
   * Executions whose name or ARN contains this text, ignoring the case of ASCII letters (names and ARNs are ASCII).
   * Every character matches itself: `%`, `_` and `\` are not wildcards.
   */
  readonly search?: string;
}

/** Paging parameters, as the Step Functions List/Get APIs take them. */
export interface PageRequest {
  readonly maxResults?: number;
  readonly nextToken?: string;
}

/** Why a store operation was refused, for the caller to map to an API error. */
export type ExecutionStoreErrorCode =
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'ActivityDoesNotExist'
  | 'ActivityAlreadyExists'
  | 'ConcurrentModification'
  | 'InvalidToken';

/** A refused store operation. ConcurrentModification means "reload and step again", never data loss. */
export class ExecutionStoreError extends Error {
  constructor(
    readonly code: ExecutionStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExecutionStoreError';
  }
}

/**
 * Where state machines, executions and their append-only histories live: Postgres in production, an embedded
 * SQLite file by default. Both implementations are held to one contract suite.
 *
 * Every write that changes an execution is one transaction: events, snapshot, status, outbox, consumed inbox
 * entries and task tokens commit together or not at all, and only if the execution's last event id is still the
 * one the step started from.
 */
export interface ExecutionStore {
  createStateMachine(input: {
    readonly stateMachineArn: string;
    readonly name: string;
    readonly type: StateMachineType;
    readonly roleArn: string;
    readonly definition: string;
  }): Promise<StateMachineRecord>;
  findStateMachine(stateMachineArn: string): Promise<StateMachineRecord | undefined>;
  listStateMachines(page: PageRequest): Promise<Page<StateMachineRecord>>;
  /** Writes a new revision; running executions keep theirs. */
  updateStateMachine(
    stateMachineArn: string,
    changes: { readonly definition?: string; readonly roleArn?: string },
  ): Promise<StateMachineRecord>;
  /** Marks the state machine deleted (its executions and histories stay) and deletes its tags. */
  deleteStateMachine(stateMachineArn: string): Promise<void>;
  findRevision(revisionId: string): Promise<StateMachineRevision | undefined>;
  /** Counts of executions by status, for the dashboard's state machine list. */
  countExecutionsByStatus(stateMachineArn: string): Promise<ExecutionCounts>;
  /**
   * {@link countExecutionsByStatus} for many state machines in one query (a page of the list), with an entry for
   * every ARN asked about: `{}` for one without executions.
   */
  countExecutionsByStateMachine(stateMachineArns: readonly string[]): Promise<Map<string, ExecutionCounts>>;

  /**
   * Creates the execution with its first events. A repeated name for the same state machine returns the existing
   * execution with `created: false` (the caller decides between idempotent success and ExecutionAlreadyExists).
   */
  createExecution(
    start: NewExecution,
  ): Promise<{ readonly created: boolean; readonly execution: ExecutionRecord; readonly outbox: readonly OutboxEntry[] }>;
  findExecution(executionArn: string): Promise<ExecutionRecord | undefined>;
  /** Newest first (by start date, then ARN). */
  listExecutions(filter: ExecutionListFilter, page: PageRequest): Promise<Page<ExecutionRecord>>;
  /** The execution, its snapshot and its pending inbox entries (oldest first), for the next step. */
  loadForStep(
    executionArn: string,
  ): Promise<{ readonly execution: ExecutionRecord; readonly snapshot: ExecutionSnapshot; readonly inbox: InboxEntry[] } | undefined>;
  /**
   * Commits a step; throws ConcurrentModification when the last event id moved, or when one of the inbox entries
   * it consumed is no longer there. The second condition covers steps that append no event (a heartbeat, a late
   * result): two steps loaded from the same state share an inbox entry, so only the first of them commits.
   * Returns the outbox entries it wrote, for the caller to dispatch at once (a recovery sweep dispatches what a
   * crash left behind).
   */
  commitStep(commit: StepCommit): Promise<{ readonly outbox: readonly OutboxEntry[] }>;
  /** Adds an outcome to the execution's inbox; returns its id. */
  appendInbox(executionArn: string, message: InboxMessage): Promise<number>;
  /**
   * Executions with inbox entries older than `olderThan`: outcomes whose wake-up job was lost (a process died
   * between appending and enqueueing), for the recovery sweep to step.
   */
  staleInboxExecutions(olderThan: Date, limit: number): Promise<string[]>;
  /**
   * RUNNING executions whose last event is older than `idleSince`, in ARN order after `afterArn`: candidates for
   * re-asking the work they wait on (timers, task invocations) after the queue lost it (Redis keeps nothing across
   * a restart).
   */
  idleRunningExecutions(idleSince: Date, limit: number, afterArn?: string): Promise<string[]>;

  /** Outbox entries not yet dispatched, oldest first (those older than `olderThan`, for recovery sweeps). */
  pendingOutbox(limit: number, olderThan?: Date): Promise<OutboxEntry[]>;
  /** Marks outbox entries dispatched (deletes them). */
  deleteOutbox(ids: readonly number[]): Promise<void>;

  getHistory(
    executionArn: string,
    options: PageRequest & { readonly reverseOrder?: boolean },
  ): Promise<Page<StoredHistoryEvent>>;
  /** Recomputes the hash chain; `brokenAtEventId` names the first event whose hash does not match. */
  verifyHistory(executionArn: string): Promise<{ readonly valid: boolean; readonly eventCount: number; readonly brokenAtEventId?: number }>;

  findTaskToken(taskToken: string): Promise<TaskTokenRecord | undefined>;
  /** The tokens the execution waits on now, oldest first. */
  listTaskTokens(executionArn: string): Promise<IssuedTaskToken[]>;
  /** Whether a step dropped this token because its task timed out (see {@link StepCommit.timedOutTaskTokens}). */
  isTaskTokenTimedOut(taskToken: string): Promise<boolean>;

  createActivity(input: { readonly activityArn: string; readonly name: string }): Promise<ActivityRecord>;
  findActivity(activityArn: string): Promise<ActivityRecord | undefined>;
  listActivities(page: PageRequest): Promise<Page<ActivityRecord>>;
  /** Deletes the activity and its tags; deleting twice is harmless. */
  deleteActivity(activityArn: string): Promise<void>;
  /** Takes the oldest task of an activity for a worker (each task is handed out once), or undefined if none. */
  claimActivityTask(activityArn: string, workerName: string): Promise<ActivityTaskRecord | undefined>;

  /**
   * The tags of a state machine or an activity, by key. The store does not check that the resource exists (the
   * driver does); deleting a state machine or an activity deletes its tags.
   */
  listTags(resourceArn: string): Promise<ResourceTag[]>;
  /** Adds tags, replacing the value of a key the resource already has. */
  tagResource(resourceArn: string, tags: readonly ResourceTag[]): Promise<void>;
  /** Removes the tags with these keys; keys the resource does not have are ignored. */
  untagResource(resourceArn: string, keys: readonly string[]): Promise<void>;

  /** Answers when the store can be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
