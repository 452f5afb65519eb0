import { createHash, randomUUID } from 'node:crypto';
import type { Command, ExecutionSnapshot, ExecutionStatus, HistoryEvent, InboxMessage } from '@lib/asl';
import type { ExecutionRecord, ExecutionStore, NewExecution, StateMachineRecord, StepCommit } from '@lib/engine';
import { ExecutionStoreError } from '@lib/engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../history/canonical-json';

/** A store under test, and the back doors a test needs to prove what the store alone cannot show. */
export interface ExecutionStoreSubject {
  readonly store: ExecutionStore;
  /**
   * Rewrites a stored event's details behind the store's back — what a database superuser who disables the
   * append-only trigger could do — so the test can show that verifyHistory notices.
   */
  tamperWithEvent(executionArn: string, eventId: number, details: Record<string, unknown>): Promise<void>;
  /** Runs one SQL statement on its own connection (SQL stores only). */
  sql?(statement: string, params?: readonly unknown[]): Promise<void>;
  /** The statements TypeORM would run to make the database match the entities (SQL stores only). */
  pendingSchemaChanges?(): Promise<string[]>;
  close(): Promise<void>;
}

/** How the suite opens a store: with the clock the store must use for the dates it assigns. */
export type OpenExecutionStoreSubject = (clock: () => Date) => Promise<ExecutionStoreSubject>;

const REGION_ACCOUNT = 'us-east-1:123456789012';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/StepFunctionsRole';
const BASE_TIME = Date.UTC(2030, 0, 1, 12, 0, 0);

/**
 * The one contract every ExecutionStore keeps (Postgres, SQLite, in memory), as statebox runs one suite against
 * each of its DAOs. Tests share one store and never clean up — a history cannot be deleted — so each one works on
 * state machines and executions of its own.
 *
 * `database: true` adds the proofs that history rows are append-only in the database itself.
 */
export function describeExecutionStoreContract(
  name: string,
  open: OpenExecutionStoreSubject,
  options: { readonly database: boolean },
): void {
  describe(`ExecutionStore contract: ${name}`, () => {
    let subject: ExecutionStoreSubject;
    let store: ExecutionStore;
    let nowMs = BASE_TIME;
    const clock = (): Date => new Date(nowMs);

    beforeAll(async () => {
      subject = await open(clock);
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.close();
    });
    beforeEach(() => {
      nowMs = BASE_TIME;
    });

    // ── fixtures ─────────────────────────────────────────────────────────────────────────────────────────────

    const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

    const givenStateMachine = async (name = unique('Machine')): Promise<StateMachineRecord> =>
      store.createStateMachine({
        stateMachineArn: `arn:aws:states:${REGION_ACCOUNT}:stateMachine:${name}`,
        name,
        type: 'STANDARD',
        roleArn: ROLE_ARN,
        definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }),
      });

    /** `count` events numbered from `from`, with payloads that a careless store would not round-trip. */
    const eventsFrom = (from: number, count: number, marker = 'x'): HistoryEvent[] =>
      Array.from({ length: count }, (_, i) => {
        const id = from + i;
        const timestamp = new Date(BASE_TIME + id * 1000 + 7).toISOString();
        if (id === 1) {
          return {
            timestamp,
            type: 'ExecutionStarted',
            id,
            previousEventId: 0,
            executionStartedEventDetails: {
              input: '{"greeting":"héllo \\u0000 ✓"}',
              inputDetails: { truncated: false },
              roleArn: ROLE_ARN,
            },
          } as HistoryEvent;
        }
        return {
          timestamp,
          type: id % 2 === 0 ? 'PassStateEntered' : 'PassStateExited',
          id,
          previousEventId: id - 1,
          [id % 2 === 0 ? 'stateEnteredEventDetails' : 'stateExitedEventDetails']: {
            name: `State ${id}`,
            [id % 2 === 0 ? 'input' : 'output']: JSON.stringify({
              marker,
              n: id,
              big: 12345678901234,
              frac: 0.1,
              list: [1, 'two', null],
            }),
            [id % 2 === 0 ? 'inputDetails' : 'outputDetails']: { truncated: false },
          },
        } as HistoryEvent;
      });

    const snapshotOf = (
      executionArn: string,
      lastEventId: number,
      status: ExecutionStatus = 'RUNNING',
    ): ExecutionSnapshot => ({
      formatVersion: 1,
      identity: {
        executionArn,
        name: executionArn.split(':').at(-1) ?? 'x',
        stateMachineArn: 'arn',
        stateMachineName: 'm',
        roleArn: ROLE_ARN,
        startTime: new Date(BASE_TIME).toISOString(),
        input: { greeting: 'hello' },
        region: 'us-east-1',
      },
      status,
      lastEventId,
      sequence: lastEventId,
      runs: {},
      tasks: {},
      timers: {},
    });

    const invoke = (taskId: string, extra: Partial<Extract<Command, { type: 'InvokeTask' }>> = {}): Command => ({
      type: 'InvokeTask',
      taskId,
      resource: 'arn:aws:lambda:us-east-1:123456789012:function:Check',
      input: { taskId },
      stateName: 'Check',
      completion: 'response',
      context: {},
      ...extra,
    });

    const newExecution = (
      machine: StateMachineRecord,
      overrides: { name?: string; eventCount?: number; startDate?: Date; status?: ExecutionStatus } & Partial<
        Pick<NewExecution, 'commands' | 'taskTokens' | 'activityTasks'>
      > = {},
    ): NewExecution => {
      const name = overrides.name ?? unique('exec');
      const executionArn = `arn:aws:states:${REGION_ACCOUNT}:execution:${machine.name}:${name}`;
      const events = eventsFrom(1, overrides.eventCount ?? 3);
      const status = overrides.status ?? 'RUNNING';
      return {
        record: {
          executionArn,
          stateMachineArn: machine.stateMachineArn,
          revisionId: machine.revisionId,
          name,
          status,
          input: '{"greeting":"hello"}',
          output: status === 'SUCCEEDED' ? '{"done":true}' : null,
          error: null,
          cause: null,
          startDate: overrides.startDate ?? new Date(BASE_TIME),
          stopDate: status === 'RUNNING' ? null : new Date(BASE_TIME + 60_000),
        },
        snapshot: snapshotOf(executionArn, events.length, status),
        events,
        commands: overrides.commands ?? [],
        taskTokens: overrides.taskTokens ?? [],
        ...(overrides.activityTasks === undefined ? {} : { activityTasks: overrides.activityTasks }),
      };
    };

    const givenExecution = async (overrides: Parameters<typeof newExecution>[1] = {}, machine?: StateMachineRecord) => {
      const start = newExecution(machine ?? (await givenStateMachine()), overrides);
      const { execution } = await store.createExecution(start);
      return execution;
    };

    const stepOf = (
      execution: ExecutionRecord,
      changes: Partial<StepCommit> & { eventCount?: number; marker?: string } = {},
    ): StepCommit => {
      const { eventCount = 2, marker, ...rest } = changes;
      const events = eventsFrom(execution.lastEventId + 1, eventCount, marker);
      return {
        executionArn: execution.executionArn,
        expectedLastEventId: execution.lastEventId,
        snapshot: snapshotOf(execution.executionArn, execution.lastEventId + eventCount),
        events,
        commands: [],
        consumedInboxIds: [],
        taskTokens: [],
        activityTasks: [],
        status: 'RUNNING',
        output: null,
        error: null,
        cause: null,
        stopDate: null,
        ...rest,
      };
    };

    const allHistory = async (executionArn: string) =>
      (await store.getHistory(executionArn, { maxResults: 1000 })).items;

    const refusal = async (promise: Promise<unknown>): Promise<string> => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ExecutionStoreError);
      return (error as ExecutionStoreError).code;
    };

    // ── state machines ───────────────────────────────────────────────────────────────────────────────────────

    describe('state machines', () => {
      it('creates a state machine with a first revision, finds it, and refuses the same ARN twice', async () => {
        nowMs = BASE_TIME + 5;
        const machine = await givenStateMachine();

        expect(await store.findStateMachine(machine.stateMachineArn)).toEqual(machine);
        expect(machine.creationDate).toEqual(new Date(BASE_TIME + 5));
        expect(await store.findRevision(machine.revisionId)).toEqual({
          revisionId: machine.revisionId,
          stateMachineArn: machine.stateMachineArn,
          definition: machine.definition,
          roleArn: ROLE_ARN,
          creationDate: new Date(BASE_TIME + 5),
        });
        expect(await refusal(givenStateMachine(machine.name))).toBe('StateMachineAlreadyExists');
        expect(await store.findStateMachine(`${machine.stateMachineArn}-missing`)).toBeUndefined();
      });

      it('writes a new revision on update and keeps the old one for the executions that run it', async () => {
        const machine = await givenStateMachine();
        nowMs = BASE_TIME + 1000;
        const definition = JSON.stringify({ StartAt: 'B', States: { B: { Type: 'Succeed' } } });

        const updated = await store.updateStateMachine(machine.stateMachineArn, { definition });

        expect(updated.revisionId).not.toBe(machine.revisionId);
        expect(updated).toMatchObject({
          definition,
          roleArn: ROLE_ARN,
          creationDate: machine.creationDate,
          updateDate: new Date(BASE_TIME + 1000),
        });
        expect(await store.findStateMachine(machine.stateMachineArn)).toEqual(updated);
        expect((await store.findRevision(machine.revisionId))?.definition).toBe(machine.definition);
        expect((await store.findRevision(updated.revisionId))?.definition).toBe(definition);

        const roleChanged = await store.updateStateMachine(machine.stateMachineArn, { roleArn: `${ROLE_ARN}2` });
        expect(roleChanged).toMatchObject({ definition, roleArn: `${ROLE_ARN}2` });
        expect(roleChanged.revisionId).not.toBe(updated.revisionId);
        // An update that changes nothing keeps the revision.
        expect((await store.updateStateMachine(machine.stateMachineArn, { definition })).revisionId).toBe(
          roleChanged.revisionId,
        );
        expect(await refusal(store.updateStateMachine(`${machine.stateMachineArn}-missing`, { definition }))).toBe(
          'StateMachineDoesNotExist',
        );
      });

      it('deletes a state machine but keeps its executions and their histories; the name can be used again', async () => {
        const machine = await givenStateMachine();
        const execution = await givenExecution({}, machine);

        await store.deleteStateMachine(machine.stateMachineArn);
        await store.deleteStateMachine(machine.stateMachineArn);

        expect(await store.findStateMachine(machine.stateMachineArn)).toBeUndefined();
        expect(await store.findExecution(execution.executionArn)).toEqual(execution);
        expect(await allHistory(execution.executionArn)).toHaveLength(3);
        expect(await store.findRevision(machine.revisionId)).toBeDefined();
        expect(await refusal(store.createExecution(newExecution(machine)))).toBe('StateMachineDoesNotExist');
        expect(await refusal(store.updateStateMachine(machine.stateMachineArn, { roleArn: 'x' }))).toBe(
          'StateMachineDoesNotExist',
        );

        const again = await givenStateMachine(machine.name);
        expect(again.revisionId).not.toBe(machine.revisionId);
        expect(await store.findStateMachine(machine.stateMachineArn)).toEqual(again);
      });

      it('lists state machines by ARN, page by page, with opaque tokens', async () => {
        const prefix = unique('Listed');
        const created = [];
        for (const suffix of ['c', 'a', 'b']) created.push(await givenStateMachine(`${prefix}-${suffix}`));
        const mine = new Set(created.map((machine) => machine.stateMachineArn));

        const seen: string[] = [];
        let nextToken: string | undefined;
        let pages = 0;
        do {
          const page = await store.listStateMachines({
            maxResults: 2,
            ...(nextToken === undefined ? {} : { nextToken }),
          });
          expect(page.items.length).toBeLessThanOrEqual(2);
          seen.push(...page.items.map((machine) => machine.stateMachineArn));
          nextToken = page.nextToken;
          pages++;
        } while (nextToken !== undefined && pages < 10_000);

        expect(seen).toEqual([...seen].sort());
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.filter((arn) => mine.has(arn))).toEqual([...mine].sort());
      });

      it('counts executions by status', async () => {
        const machine = await givenStateMachine();
        await givenExecution({ status: 'RUNNING' }, machine);
        await givenExecution({ status: 'RUNNING' }, machine);
        await givenExecution({ status: 'SUCCEEDED' }, machine);

        expect(await store.countExecutionsByStatus(machine.stateMachineArn)).toEqual({ RUNNING: 2, SUCCEEDED: 1 });
        expect(await store.countExecutionsByStatus(`${machine.stateMachineArn}-none`)).toEqual({});
      });

      it('counts the executions of many state machines by status at once, with an entry for each one asked about', async () => {
        const [busy, idle, other] = [await givenStateMachine(), await givenStateMachine(), await givenStateMachine()];
        for (const status of ['RUNNING', 'FAILED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'SUCCEEDED'] as const) {
          await givenExecution({ status }, busy);
        }
        await givenExecution({ status: 'RUNNING' }, other);
        const ghost = `${busy.stateMachineArn}-none`;

        const counts = await store.countExecutionsByStateMachine([busy.stateMachineArn, idle.stateMachineArn, ghost]);

        expect(counts).toEqual(
          new Map([
            [busy.stateMachineArn, { RUNNING: 1, SUCCEEDED: 1, FAILED: 2, TIMED_OUT: 1, ABORTED: 1 }],
            [idle.stateMachineArn, {}],
            [ghost, {}],
          ]),
        );
        expect(await store.countExecutionsByStateMachine([])).toEqual(new Map());
      });
    });

    // ── executions ───────────────────────────────────────────────────────────────────────────────────────────

    describe('createExecution', () => {
      it('writes the execution, its first events, task tokens and outbox in one go', async () => {
        const machine = await givenStateMachine();
        const start = newExecution(machine, {
          commands: [invoke('t1'), { type: 'StartTimer', timerId: 'w1', fireAt: BASE_TIME + 5000 }],
          taskTokens: [{ taskToken: unique('token'), taskId: 't1' }],
        });

        const { created, execution, outbox } = await store.createExecution(start);

        expect(created).toBe(true);
        expect(execution).toEqual({ ...start.record, lastEventId: 3 });
        expect(await store.findExecution(execution.executionArn)).toEqual(execution);
        expect((await allHistory(execution.executionArn)).map((stored) => stored.event)).toEqual(start.events);
        expect(outbox.map((entry) => entry.command)).toEqual(start.commands);
        expect(outbox.map((entry) => entry.executionArn)).toEqual([execution.executionArn, execution.executionArn]);
        expect(outbox[0]?.id).toBeLessThan(outbox[1]?.id ?? 0);
        expect(await store.findTaskToken(start.taskTokens[0]?.taskToken ?? '')).toEqual({
          taskToken: start.taskTokens[0]?.taskToken,
          executionArn: execution.executionArn,
          taskId: 't1',
        });
        const loaded = await store.loadForStep(execution.executionArn);
        expect(loaded).toEqual({ execution, snapshot: start.snapshot, inbox: [] });
      });

      it('returns the existing execution, unchanged, for a repeated name', async () => {
        const machine = await givenStateMachine();
        const first = newExecution(machine, { name: 'same-name', commands: [invoke('t1')] });
        await store.createExecution(first);

        const second = newExecution(machine, { name: 'same-name', eventCount: 5, commands: [invoke('t9')] });
        const repeated = await store.createExecution({ ...second, record: { ...second.record, input: '{"other":1}' } });

        expect(repeated).toEqual({ created: false, execution: { ...first.record, lastEventId: 3 }, outbox: [] });
        expect(await allHistory(first.record.executionArn)).toHaveLength(3);
        const pending = await store.pendingOutbox(100_000);
        expect(pending.filter((entry) => entry.executionArn === first.record.executionArn)).toHaveLength(1);
      });

      it('creates an execution once when two starts with one name race', async () => {
        const machine = await givenStateMachine();
        const start = newExecution(machine, { name: 'raced' });

        const results = await Promise.all([
          store.createExecution(start),
          store.createExecution(start),
          store.createExecution(start),
        ]);

        expect(results.filter((result) => result.created)).toHaveLength(1);
        for (const result of results) expect(result.execution).toEqual({ ...start.record, lastEventId: 3 });
        expect(await allHistory(start.record.executionArn)).toHaveLength(3);
      });

      it('refuses an unknown state machine or revision, and events with a gap, writing nothing', async () => {
        const machine = await givenStateMachine();
        const ghost = { ...machine, stateMachineArn: `${machine.stateMachineArn}-ghost` };
        expect(await refusal(store.createExecution(newExecution(ghost)))).toBe('StateMachineDoesNotExist');
        expect(await refusal(store.createExecution(newExecution({ ...machine, revisionId: randomUUID() })))).toBe(
          'StateMachineDoesNotExist',
        );

        const gapped = newExecution(machine);
        const [first, , third] = gapped.events;
        await expect(
          store.createExecution({ ...gapped, events: [first as HistoryEvent, third as HistoryEvent] }),
        ).rejects.toThrow(/without gaps/);
        expect(await store.findExecution(gapped.record.executionArn)).toBeUndefined();
      });

      it('refuses to append to or read the history of an unknown execution', async () => {
        const arn = `arn:aws:states:${REGION_ACCOUNT}:execution:none:${unique('missing')}`;
        expect(await store.findExecution(arn)).toBeUndefined();
        expect(await store.loadForStep(arn)).toBeUndefined();
        expect(await refusal(store.appendInbox(arn, { type: 'TimerFired', timerId: 'x' }))).toBe(
          'ExecutionDoesNotExist',
        );
        expect(await refusal(store.getHistory(arn, {}))).toBe('ExecutionDoesNotExist');
        expect(await refusal(store.verifyHistory(arn))).toBe('ExecutionDoesNotExist');
        expect(
          await refusal(
            store.commitStep(stepOf({ executionArn: arn, lastEventId: 0 } as ExecutionRecord, { eventCount: 1 })),
          ),
        ).toBe('ExecutionDoesNotExist');
      });
    });

    describe('listExecutions', () => {
      it('lists newest first, filtered by state machine and status, page by page', async () => {
        const machine = await givenStateMachine();
        const other = await givenStateMachine();
        const at = (seconds: number) => new Date(BASE_TIME + seconds * 1000);
        const made: ExecutionRecord[] = [];
        for (const [name, seconds, status] of [
          ['e1', 1, 'SUCCEEDED'],
          ['e2', 2, 'RUNNING'],
          ['e3a', 3, 'FAILED'],
          ['e3b', 3, 'RUNNING'],
          ['e5', 5, 'RUNNING'],
        ] as const) {
          made.push(await givenExecution({ name, startDate: at(seconds), status }, machine));
        }
        await givenExecution({ startDate: at(4) }, other);
        const names = (items: readonly ExecutionRecord[]) => items.map((execution) => execution.name);

        const first = await store.listExecutions({ stateMachineArn: machine.stateMachineArn }, { maxResults: 2 });
        expect(names(first.items)).toEqual(['e5', 'e3b']);
        expect(first.nextToken).toEqual(expect.any(String));
        const second = await store.listExecutions(
          { stateMachineArn: machine.stateMachineArn },
          { maxResults: 2, nextToken: first.nextToken as string },
        );
        expect(names(second.items)).toEqual(['e3a', 'e2']);
        const third = await store.listExecutions(
          { stateMachineArn: machine.stateMachineArn },
          { maxResults: 2, nextToken: second.nextToken as string },
        );
        expect(third).toEqual({ items: [made[0]] });

        const running = await store.listExecutions(
          { stateMachineArn: machine.stateMachineArn, statusFilter: 'RUNNING' },
          {},
        );
        expect(names(running.items)).toEqual(['e5', 'e3b', 'e2']);
        expect(running.nextToken).toBeUndefined();

        const failedAnywhere = await store.listExecutions({ statusFilter: 'FAILED' }, { maxResults: 1000 });
        expect(failedAnywhere.items).toContainEqual(made[2]);
        expect(failedAnywhere.items.every((execution) => execution.status === 'FAILED')).toBe(true);

        // A token continues only the listing it came from.
        expect(
          await refusal(store.listExecutions({ statusFilter: 'RUNNING' }, { nextToken: first.nextToken as string })),
        ).toBe('InvalidToken');
      });

      it('lists the executions started in [startedAfter, startedBefore), page by page', async () => {
        const machine = await givenStateMachine();
        const at = (seconds: number) => new Date(BASE_TIME + seconds * 1000);
        for (const [name, seconds, status] of [
          ['t1', 1, 'SUCCEEDED'],
          ['t2', 2, 'RUNNING'],
          ['t3a', 3, 'RUNNING'],
          ['t3b', 3, 'FAILED'],
          ['t4', 4, 'RUNNING'],
          ['t5', 5, 'RUNNING'],
        ] as const) {
          await givenExecution({ name, startDate: at(seconds), status }, machine);
        }
        const names = (page: { items: readonly ExecutionRecord[] }) => page.items.map((execution) => execution.name);
        const within = (filter: { startedAfter?: Date; startedBefore?: Date; statusFilter?: ExecutionStatus }) =>
          store.listExecutions({ stateMachineArn: machine.stateMachineArn, ...filter }, {});

        expect(names(await within({ startedAfter: at(2), startedBefore: at(4) }))).toEqual(['t3b', 't3a', 't2']);
        expect(names(await within({ startedAfter: at(4) }))).toEqual(['t5', 't4']);
        expect(names(await within({ startedBefore: at(2) }))).toEqual(['t1']);
        expect(names(await within({ startedAfter: at(3), startedBefore: at(3) }))).toEqual([]);
        const running = await within({ startedAfter: at(2), statusFilter: 'RUNNING' });
        expect(names(running)).toEqual(['t5', 't4', 't3a', 't2']);
        // A millisecond counts: the bounds are instants, not seconds.
        expect(names(await within({ startedAfter: new Date(at(3).getTime() + 1), startedBefore: at(5) }))).toEqual([
          't4',
        ]);

        const filter = { stateMachineArn: machine.stateMachineArn, startedAfter: at(2), startedBefore: at(5) };
        const seen: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await store.listExecutions(filter, {
            maxResults: 1,
            ...(nextToken === undefined ? {} : { nextToken }),
          });
          seen.push(...names(page));
          nextToken = page.nextToken;
        } while (nextToken !== undefined && seen.length < 10);
        expect(seen).toEqual(['t4', 't3b', 't3a', 't2']);

        // A token continues only the listing with the same dates.
        const first = await store.listExecutions(filter, { maxResults: 1 });
        const token = { maxResults: 1, nextToken: first.nextToken as string };
        for (const other of [
          { stateMachineArn: machine.stateMachineArn },
          { ...filter, startedAfter: at(1) },
          { ...filter, startedBefore: at(6) },
          { ...filter, search: 't' },
        ]) {
          expect(await refusal(store.listExecutions(other, token))).toBe('InvalidToken');
        }
        expect(names(await store.listExecutions({ ...filter, startedAfter: new Date(at(2)) }, token))).toEqual(['t3b']);
      });

      it('searches names and ARNs for a substring, ignoring case, with %, _ and \\ matching only themselves', async () => {
        const machine = await givenStateMachine(unique('Searchable'));
        const other = await givenStateMachine();
        const made = new Map<string, ExecutionRecord>();
        for (const [i, name] of ['Order_42', 'order-42', 'ORDERX42', 'Order%42', 'back\\slash', 'Refund'].entries()) {
          made.set(name, await givenExecution({ name, startDate: new Date(BASE_TIME + i * 1000) }, machine));
        }
        await givenExecution({ name: 'Order_42' }, other);
        const found = async (search: string) =>
          (await store.listExecutions({ stateMachineArn: machine.stateMachineArn, search }, {})).items
            .map((execution) => execution.name)
            .sort();

        expect(await found('order')).toEqual(['ORDERX42', 'Order%42', 'Order_42', 'order-42']);
        expect(await found('ORDER_42')).toEqual(['Order_42']);
        expect(await found('r%4')).toEqual(['Order%42']);
        expect(await found('%')).toEqual(['Order%42']);
        expect(await found('_')).toEqual(['Order_42']);
        expect(await found('\\')).toEqual(['back\\slash']);
        expect(await found('K\\S')).toEqual(['back\\slash']);
        expect(await found('nothing like it')).toEqual([]);
        // The ARN is searched too: its state machine part, and across the colon before the name.
        expect(await found(`${machine.name.toLowerCase()}:REF`)).toEqual(['Refund']);
        expect(await found(':execution:')).toHaveLength(6);

        // Across state machines, newest first, paged; the token is bound to the search.
        const everywhere = await store.listExecutions({ search: `${machine.name}:order` }, { maxResults: 3 });
        expect(everywhere.items.map((execution) => execution.name)).toEqual(['Order%42', 'ORDERX42', 'order-42']);
        const rest = await store.listExecutions(
          { search: `${machine.name}:order` },
          { maxResults: 3, nextToken: everywhere.nextToken as string },
        );
        expect(rest).toEqual({ items: [made.get('Order_42')] });
        expect(
          await refusal(
            store.listExecutions({ search: `${machine.name}:ORDER` }, { nextToken: everywhere.nextToken as string }),
          ),
        ).toBe('InvalidToken');
      });

      it('refuses a malformed or foreign token as InvalidToken', async () => {
        const machine = await givenStateMachine();
        const historyToken = (
          await store.getHistory((await givenExecution({ eventCount: 3 }, machine)).executionArn, { maxResults: 1 })
        ).nextToken;
        for (const nextToken of [
          'not a token!',
          'bm90LWpzb24',
          Buffer.from('{"kind":"executions"}').toString('base64url'),
          historyToken as string,
        ]) {
          expect(await refusal(store.listExecutions({}, { nextToken }))).toBe('InvalidToken');
          expect(await refusal(store.listStateMachines({ nextToken }))).toBe('InvalidToken');
          expect(await refusal(store.listActivities({ nextToken }))).toBe('InvalidToken');
        }
      });
    });

    // ── steps ────────────────────────────────────────────────────────────────────────────────────────────────

    describe('commitStep', () => {
      it('drains the inbox into one step: events, snapshot, status, outbox, tokens commit together', async () => {
        const execution = await givenExecution();
        const messages: InboxMessage[] = [
          { type: 'TaskSucceeded', taskId: 't1', output: { ok: true, text: 'ünïcödé' } },
          { type: 'TimerFired', timerId: 'w1' },
        ];
        const ids = [];
        for (const message of messages) ids.push(await store.appendInbox(execution.executionArn, message));
        expect(ids[1]).toBeGreaterThan(ids[0] as number);

        const loaded = await store.loadForStep(execution.executionArn);
        expect(loaded?.inbox).toEqual([
          { id: ids[0], message: messages[0] },
          { id: ids[1], message: messages[1] },
        ]);

        nowMs = BASE_TIME + 9000;
        const commit = stepOf(execution, {
          eventCount: 4,
          consumedInboxIds: ids,
          commands: [invoke('t2')],
          taskTokens: [{ taskToken: unique('token'), taskId: 't2' }],
          status: 'SUCCEEDED',
          output: '{"done":true}',
          stopDate: new Date(BASE_TIME + 9000),
        });
        const { outbox } = await store.commitStep(commit);

        expect(outbox).toEqual([
          {
            id: expect.any(Number),
            executionArn: execution.executionArn,
            command: invoke('t2'),
            createdAt: new Date(BASE_TIME + 9000),
          },
        ]);
        const after = await store.loadForStep(execution.executionArn);
        expect(after).toEqual({
          execution: {
            ...execution,
            status: 'SUCCEEDED',
            output: '{"done":true}',
            stopDate: new Date(BASE_TIME + 9000),
            lastEventId: 7,
          },
          snapshot: commit.snapshot,
          inbox: [],
        });
        expect((await allHistory(execution.executionArn)).map((stored) => stored.event.id)).toEqual([
          1, 2, 3, 4, 5, 6, 7,
        ]);
        expect(await store.findTaskToken(commit.taskTokens[0]?.taskToken ?? '')).toMatchObject({ taskId: 't2' });
        expect(await store.verifyHistory(execution.executionArn)).toEqual({ valid: true, eventCount: 7 });
      });

      it('lets exactly one of two steps from the same last event commit, and the other writes nothing', async () => {
        const execution = await givenExecution();
        const inboxId = await store.appendInbox(execution.executionArn, { type: 'TimerFired', timerId: 'w1' });
        const [tokenA, tokenB] = [unique('a'), unique('b')];
        const commitA = stepOf(execution, {
          marker: 'A',
          consumedInboxIds: [inboxId],
          commands: [invoke('from-A')],
          taskTokens: [{ taskToken: tokenA, taskId: 'A' }],
        });
        const commitB = stepOf(execution, {
          eventCount: 3,
          marker: 'B',
          consumedInboxIds: [inboxId],
          commands: [invoke('from-B')],
          taskTokens: [{ taskToken: tokenB, taskId: 'B' }],
        });

        const outcomes = await Promise.allSettled([store.commitStep(commitA), store.commitStep(commitB)]);

        const won = outcomes.findIndex((outcome) => outcome.status === 'fulfilled');
        const lost = outcomes.find((outcome) => outcome.status === 'rejected');
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(ExecutionStoreError);
        expect(((lost as PromiseRejectedResult).reason as ExecutionStoreError).code).toBe('ConcurrentModification');

        const winner = won === 0 ? commitA : commitB;
        const [winnerMarker, loserTaskId, loserToken] = won === 0 ? ['A', 'from-B', tokenB] : ['B', 'from-A', tokenA];
        const history = await allHistory(execution.executionArn);
        expect(history.map((stored) => stored.event)).toEqual([...eventsFrom(1, 3), ...winner.events]);
        expect(JSON.stringify(history.slice(3))).toContain(`marker\\":\\"${winnerMarker}`);
        expect((await store.loadForStep(execution.executionArn))?.snapshot).toEqual(winner.snapshot);
        const pending = await store.pendingOutbox(100_000);
        expect(
          pending.some((entry) => entry.command.type === 'InvokeTask' && entry.command.taskId === loserTaskId),
        ).toBe(false);
        expect(await store.findTaskToken(loserToken)).toBeUndefined();
        expect(await store.verifyHistory(execution.executionArn)).toEqual({
          valid: true,
          eventCount: 3 + winner.events.length,
        });
      });

      it('lets only one of two steps that append no event but consume the same inbox entry commit', async () => {
        const execution = await givenExecution();
        const inboxId = await store.appendInbox(execution.executionArn, { type: 'TaskHeartbeat', taskId: 't1' });
        const heartbeat = (timerId: string) =>
          stepOf(execution, {
            eventCount: 0,
            consumedInboxIds: [inboxId],
            commands: [{ type: 'StartTimer', timerId, fireAt: BASE_TIME }],
          });

        const outcomes = await Promise.allSettled([
          store.commitStep(heartbeat('h1')),
          store.commitStep(heartbeat('h2')),
        ]);

        expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
        const pending = await store.pendingOutbox(100_000);
        expect(pending.filter((entry) => entry.executionArn === execution.executionArn)).toHaveLength(1);
      });

      it('refuses a step computed from an older state, leaving snapshot, inbox and history as they were', async () => {
        const execution = await givenExecution();
        const inboxId = await store.appendInbox(execution.executionArn, { type: 'TimerFired', timerId: 'w1' });
        await store.commitStep(stepOf(execution, { eventCount: 1 }));
        const before = await store.loadForStep(execution.executionArn);

        const stale = stepOf(execution, {
          eventCount: 2,
          consumedInboxIds: [inboxId],
          status: 'FAILED',
          error: 'E',
          stopDate: new Date(),
        });
        expect(await refusal(store.commitStep(stale))).toBe('ConcurrentModification');

        expect(await store.loadForStep(execution.executionArn)).toEqual(before);
        expect(before?.inbox.map((entry) => entry.id)).toEqual([inboxId]);
        expect(await allHistory(execution.executionArn)).toHaveLength(4);
      });

      it('refuses events that do not follow on from the expected last event', async () => {
        const execution = await givenExecution();
        const commit = stepOf(execution);
        await expect(store.commitStep({ ...commit, events: commit.events.slice(1) })).rejects.toThrow(/without gaps/);
        expect(await store.findExecution(execution.executionArn)).toEqual(execution);
      });
    });

    describe('outbox', () => {
      it('lists pending commands oldest first, older than a moment when asked, until deleted', async () => {
        const execution = await givenExecution();
        nowMs = BASE_TIME + 1000;
        const { outbox: early } = await store.commitStep(
          stepOf(execution, { eventCount: 1, commands: [invoke('early-1'), invoke('early-2')] }),
        );
        nowMs = BASE_TIME + 5000;
        const { outbox: late } = await store.commitStep(
          stepOf({ ...execution, lastEventId: 4 }, { eventCount: 1, commands: [invoke('late')] }),
        );
        const mine = (entries: readonly { executionArn: string }[]) =>
          entries.filter((entry) => entry.executionArn === execution.executionArn);

        expect(mine(await store.pendingOutbox(100_000))).toEqual([...early, ...late]);
        expect(mine(await store.pendingOutbox(100_000, new Date(BASE_TIME + 5000)))).toEqual(early);
        expect(mine(await store.pendingOutbox(100_000, new Date(BASE_TIME + 1000)))).toEqual([]);

        await store.deleteOutbox([...early.map((entry) => entry.id), 987_654_321]);
        expect(mine(await store.pendingOutbox(100_000))).toEqual(late);
        await store.deleteOutbox(late.map((entry) => entry.id));
        expect(mine(await store.pendingOutbox(100_000))).toEqual([]);
      });

      it('honours the limit, oldest first', async () => {
        await givenExecution({ commands: [invoke('a'), invoke('b'), invoke('c')] });

        const pending = await store.pendingOutbox(2);
        const all = (await store.pendingOutbox(100_000)).map((entry) => entry.id);

        expect(pending.map((entry) => entry.id)).toEqual(all.slice(0, 2));
        expect(all).toEqual([...all].sort((a, b) => a - b));
      });
    });

    describe('inbox recovery', () => {
      it('names executions whose inbox entries waited longer than a moment, until a step consumes them', async () => {
        const waiting = await givenExecution();
        const fresh = await givenExecution();
        nowMs = BASE_TIME + 1000;
        const stale = await store.appendInbox(waiting.executionArn, { type: 'TimerFired', timerId: 'w1' });
        await store.appendInbox(waiting.executionArn, { type: 'TimerFired', timerId: 'w2' });
        nowMs = BASE_TIME + 9000;
        await store.appendInbox(fresh.executionArn, { type: 'TimerFired', timerId: 'w3' });
        const mine = (arns: readonly string[]) => arns.filter((arn) => arn === waiting.executionArn || arn === fresh.executionArn);

        expect(mine(await store.staleInboxExecutions(new Date(BASE_TIME + 5000), 100))).toEqual([waiting.executionArn]);
        expect(mine(await store.staleInboxExecutions(new Date(BASE_TIME + 1000), 100))).toEqual([]);

        const loaded = await store.loadForStep(waiting.executionArn);
        await store.commitStep(stepOf(waiting, { eventCount: 1, consumedInboxIds: loaded?.inbox.map((entry) => entry.id) ?? [stale] }));
        expect(mine(await store.staleInboxExecutions(new Date(BASE_TIME + 5000), 100))).toEqual([]);
      });
    });

    describe('idle executions', () => {
      it('names RUNNING executions whose last event is older than a moment, and no finished ones', async () => {
        const running = await givenExecution();
        const lastAt = (execution: ExecutionRecord): number => BASE_TIME + execution.lastEventId * 1000 + 7;
        const mine = (arns: readonly string[]) => arns.filter((arn) => arn === running.executionArn);

        expect(mine(await store.idleRunningExecutions(new Date(lastAt(running) + 1), 100_000))).toEqual([running.executionArn]);
        expect(mine(await store.idleRunningExecutions(new Date(lastAt(running)), 100_000))).toEqual([]);

        await store.commitStep(stepOf(running, { eventCount: 1, status: 'SUCCEEDED', output: '{}', stopDate: new Date(BASE_TIME) }));
        expect(mine(await store.idleRunningExecutions(new Date(BASE_TIME + 1_000_000), 100_000))).toEqual([]);
      });
    });

    describe('task tokens', () => {
      it('replaces the execution’s tokens at each step', async () => {
        const [t1, t2, t3] = [unique('t1'), unique('t2'), unique('t3')];
        const execution = await givenExecution({
          taskTokens: [
            { taskToken: t1, taskId: 'one' },
            { taskToken: t2, taskId: 'two' },
          ],
        });

        await store.commitStep(
          stepOf(execution, {
            taskTokens: [
              { taskToken: t2, taskId: 'two' },
              { taskToken: t3, taskId: 'three' },
            ],
          }),
        );

        expect(await store.findTaskToken(t1)).toBeUndefined();
        expect(await store.findTaskToken(t2)).toEqual({
          taskToken: t2,
          executionArn: execution.executionArn,
          taskId: 'two',
        });
        expect(await store.findTaskToken(t3)).toEqual({
          taskToken: t3,
          executionArn: execution.executionArn,
          taskId: 'three',
        });

        await store.commitStep(stepOf({ ...execution, lastEventId: 5 }, { taskTokens: [] }));
        expect(await store.findTaskToken(t2)).toBeUndefined();
        expect(await store.findTaskToken(t3)).toBeUndefined();
      });

      it('lists the tokens an execution waits on, oldest first, with when each was issued', async () => {
        const [t1, t2, t3] = [unique('t1'), unique('t2'), unique('t3')];
        const execution = await givenExecution({ taskTokens: [{ taskToken: t1, taskId: 'one' }] });
        await givenExecution({ taskTokens: [{ taskToken: unique('elsewhere'), taskId: 'one' }] });
        nowMs = BASE_TIME + 5000;
        await store.commitStep(
          stepOf(execution, {
            taskTokens: [
              { taskToken: t1, taskId: 'one' },
              { taskToken: t2, taskId: 'two' },
            ],
          }),
        );
        const { executionArn } = execution;

        expect(await store.listTaskTokens(executionArn)).toEqual([
          { taskToken: t1, executionArn, taskId: 'one', createdAt: new Date(BASE_TIME) },
          { taskToken: t2, executionArn, taskId: 'two', createdAt: new Date(BASE_TIME + 5000) },
        ]);

        nowMs = BASE_TIME + 9000;
        await store.commitStep(
          stepOf({ ...execution, lastEventId: 5 }, { taskTokens: [{ taskToken: t3, taskId: 'three' }] }),
        );
        expect(await store.listTaskTokens(executionArn)).toEqual([
          { taskToken: t3, executionArn, taskId: 'three', createdAt: new Date(BASE_TIME + 9000) },
        ]);
        expect(await store.listTaskTokens(`${executionArn}-none`)).toEqual([]);
      });

      it('remembers the tokens a step dropped because their task timed out, and only those', async () => {
        const [late, done, never] = [unique('late'), unique('done'), unique('never')];
        const execution = await givenExecution({
          taskTokens: [
            { taskToken: late, taskId: 'one' },
            { taskToken: done, taskId: 'two' },
          ],
        });

        await store.commitStep(stepOf(execution, { taskTokens: [], timedOutTaskTokens: [late] }));

        expect(await store.findTaskToken(late)).toBeUndefined();
        expect(await store.isTaskTokenTimedOut(late)).toBe(true);
        expect(await store.isTaskTokenTimedOut(done)).toBe(false);
        expect(await store.isTaskTokenTimedOut(never)).toBe(false);
      });
    });

    // ── history ──────────────────────────────────────────────────────────────────────────────────────────────

    describe('history', () => {
      it('returns each event exactly as the interpreter produced it', async () => {
        const execution = await givenExecution({ eventCount: 5 });
        const history = await allHistory(execution.executionArn);
        expect(history.map((stored) => stored.event)).toEqual(eventsFrom(1, 5));
        expect(history.map((stored) => Object.keys(stored.event))).toEqual(
          eventsFrom(1, 5).map((event) => Object.keys(event)),
        );
      });

      it('pages forwards and backwards with tokens tied to the execution and the direction', async () => {
        const execution = await givenExecution({ eventCount: 7 });
        const ids = async (reverseOrder: boolean) => {
          const pages: number[][] = [];
          let nextToken: string | undefined;
          do {
            const page = await store.getHistory(execution.executionArn, {
              maxResults: 3,
              reverseOrder,
              ...(nextToken === undefined ? {} : { nextToken }),
            });
            pages.push(page.items.map((stored) => stored.event.id));
            nextToken = page.nextToken;
          } while (nextToken !== undefined);
          return pages;
        };

        expect(await ids(false)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
        expect(await ids(true)).toEqual([[7, 6, 5], [4, 3, 2], [1]]);

        const forward = (await store.getHistory(execution.executionArn, { maxResults: 3 })).nextToken as string;
        expect(
          await refusal(store.getHistory(execution.executionArn, { nextToken: forward, reverseOrder: true })),
        ).toBe('InvalidToken');
        const other = await givenExecution();
        expect(await refusal(store.getHistory(other.executionArn, { nextToken: forward }))).toBe('InvalidToken');
        expect(await refusal(store.getHistory(execution.executionArn, { nextToken: '%%%' }))).toBe('InvalidToken');
        const exact = await store.getHistory(execution.executionArn, { maxResults: 7 });
        expect(exact.items).toHaveLength(7);
        expect(exact.nextToken).toBeUndefined();
      });

      it('chains each event to the previous one with SHA-256 over the previous hash and the canonical JSON', async () => {
        const execution = await givenExecution({ eventCount: 4 });
        const history = await allHistory(execution.executionArn);

        let previousHash = '';
        for (const stored of history) {
          expect(stored.previousHash).toBe(previousHash);
          expect(stored.hash).toBe(
            createHash('sha256')
              .update(previousHash + canonicalJson(stored.event))
              .digest('hex'),
          );
          previousHash = stored.hash;
        }
        expect(await store.verifyHistory(execution.executionArn)).toEqual({ valid: true, eventCount: 4 });
      });

      it('finds the first event changed behind the store’s back', async () => {
        const execution = await givenExecution({ eventCount: 6 });

        await subject.tamperWithEvent(execution.executionArn, 3, {
          stateExitedEventDetails: { name: 'State 3', output: '{"forged":true}' },
        });

        expect(await store.verifyHistory(execution.executionArn)).toEqual({
          valid: false,
          eventCount: 6,
          brokenAtEventId: 3,
        });
      });
    });

    // ── activities ───────────────────────────────────────────────────────────────────────────────────────────

    describe('activities', () => {
      const activityArn = (name: string) => `arn:aws:states:${REGION_ACCOUNT}:activity:${name}`;
      const givenActivity = async () => {
        const name = unique('Review');
        return store.createActivity({ activityArn: activityArn(name), name });
      };
      const scheduleTasks = async (arn: string, count: number) => {
        const tasks = Array.from({ length: count }, (_, i) => ({
          taskToken: unique(`task${i}`),
          input: JSON.stringify({ i }),
        }));
        const execution = await givenExecution();
        await store.commitStep(
          stepOf(execution, {
            taskTokens: tasks.map((task, i) => ({ taskToken: task.taskToken, taskId: `t${i}` })),
            activityTasks: tasks.map((task) => ({ ...task, activityArn: arn, executionArn: execution.executionArn })),
          }),
        );
        return { execution, tasks };
      };

      it('creates, finds, lists and deletes activities', async () => {
        nowMs = BASE_TIME + 42;
        const activity = await givenActivity();
        expect(activity.creationDate).toEqual(new Date(BASE_TIME + 42));
        expect(await store.findActivity(activity.activityArn)).toEqual(activity);
        expect(await refusal(store.createActivity(activity))).toBe('ActivityAlreadyExists');

        const listed = [];
        let nextToken: string | undefined;
        do {
          const page = await store.listActivities({ maxResults: 1, ...(nextToken === undefined ? {} : { nextToken }) });
          listed.push(...page.items);
          nextToken = page.nextToken;
        } while (nextToken !== undefined);
        expect(listed).toContainEqual(activity);

        await store.deleteActivity(activity.activityArn);
        await store.deleteActivity(activity.activityArn);
        expect(await store.findActivity(activity.activityArn)).toBeUndefined();
      });

      it('hands each task to one worker, oldest first, even when workers ask at once', async () => {
        const activity = await givenActivity();
        const { execution, tasks } = await scheduleTasks(activity.activityArn, 2);

        const claims = await Promise.all([
          store.claimActivityTask(activity.activityArn, 'worker-1'),
          store.claimActivityTask(activity.activityArn, 'worker-2'),
        ]);

        const tokens = claims.map((claim) => claim?.taskToken);
        expect(new Set(tokens)).toEqual(new Set(tasks.map((task) => task.taskToken)));
        expect(claims[0]).toMatchObject({
          activityArn: activity.activityArn,
          executionArn: execution.executionArn,
          createdAt: new Date(BASE_TIME),
        });
        expect(await store.claimActivityTask(activity.activityArn, 'worker-3')).toBeUndefined();
      });

      it('gives a single task to one of two concurrent workers and nothing to the other', async () => {
        const activity = await givenActivity();
        const { tasks } = await scheduleTasks(activity.activityArn, 1);

        const claims = await Promise.all([
          store.claimActivityTask(activity.activityArn, 'worker-1'),
          store.claimActivityTask(activity.activityArn, 'worker-2'),
        ]);

        expect(claims.filter((claim) => claim === undefined)).toHaveLength(1);
        expect(claims.find((claim) => claim !== undefined)).toMatchObject({
          taskToken: tasks[0]?.taskToken,
          input: '{"i":0}',
        });
      });

      it('withdraws a task once a later step drops its token, and schedules tasks from the first step', async () => {
        const activity = await givenActivity();
        const { execution } = await scheduleTasks(activity.activityArn, 1);
        await store.commitStep(stepOf({ ...execution, lastEventId: 5 }, { taskTokens: [] }));
        expect(await store.claimActivityTask(activity.activityArn, 'late')).toBeUndefined();

        const taskToken = unique('first-step');
        const machine = await givenStateMachine();
        const start = newExecution(machine, { taskTokens: [{ taskToken, taskId: 't0' }] });
        await store.createExecution({
          ...start,
          activityTasks: [
            { taskToken, activityArn: activity.activityArn, executionArn: start.record.executionArn, input: '{}' },
          ],
        });
        expect(await store.claimActivityTask(activity.activityArn, 'w')).toMatchObject({
          taskToken,
          executionArn: start.record.executionArn,
        });
      });
    });

    describe('tags', () => {
      it('adds, replaces, lists by key and removes the tags of a resource, and no other resource’s', async () => {
        const machine = await givenStateMachine();
        const other = await givenStateMachine();
        await store.tagResource(other.stateMachineArn, [{ key: 'team', value: 'other' }]);

        await store.tagResource(machine.stateMachineArn, [
          { key: 'team', value: 'payments' },
          { key: 'env', value: 'test' },
        ]);
        await store.tagResource(machine.stateMachineArn, [
          { key: 'team', value: 'onboarding' },
          { key: 'Cost', value: '' },
          { key: 'team', value: 'risk' },
        ]);
        expect(await store.listTags(machine.stateMachineArn)).toEqual([
          { key: 'Cost', value: '' },
          { key: 'env', value: 'test' },
          { key: 'team', value: 'risk' },
        ]);

        await store.untagResource(machine.stateMachineArn, ['env', 'absent']);
        expect(await store.listTags(machine.stateMachineArn)).toEqual([
          { key: 'Cost', value: '' },
          { key: 'team', value: 'risk' },
        ]);
        expect(await store.listTags(other.stateMachineArn)).toEqual([{ key: 'team', value: 'other' }]);
        expect(await store.listTags('arn:aws:states:us-east-1:123456789012:stateMachine:Untagged')).toEqual([]);
      });

      it('deletes the tags of a deleted state machine or activity: a new one of that name starts untagged', async () => {
        const machine = await givenStateMachine();
        await store.tagResource(machine.stateMachineArn, [{ key: 'team', value: 'payments' }]);
        await store.deleteStateMachine(machine.stateMachineArn);
        const again = await givenStateMachine(machine.name);
        expect(await store.listTags(again.stateMachineArn)).toEqual([]);

        const name = unique('Tagged');
        const activityArn = `arn:aws:states:${REGION_ACCOUNT}:activity:${name}`;
        await store.createActivity({ activityArn, name });
        await store.tagResource(activityArn, [{ key: 'team', value: 'review' }]);
        await store.deleteActivity(activityArn);
        expect(await store.listTags(activityArn)).toEqual([]);
      });
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    // ── the database itself ──────────────────────────────────────────────────────────────────────────────────

    if (options.database) {
      describe('history is append-only in the database', () => {
        const sql = (statement: string, params: readonly unknown[] = []) => {
          if (!subject.sql) throw new Error('This subject declares a database but gives no SQL access');
          return subject.sql(statement, params);
        };

        it('refuses a raw UPDATE of an event', async () => {
          const execution = await givenExecution();
          await expect(
            sql(
              `UPDATE history_events SET type = 'ExecutionSucceeded' WHERE execution_arn = '${execution.executionArn}' AND id = 2`,
            ),
          ).rejects.toThrow(/history_events is append-only: UPDATE/);
          expect(await store.verifyHistory(execution.executionArn)).toEqual({ valid: true, eventCount: 3 });
        });

        it('has the schema the entities declare: the migrations leave nothing for TypeORM to change', async () => {
          if (!subject.pendingSchemaChanges)
            throw new Error('This subject declares a database but cannot compare its schema');
          expect(await subject.pendingSchemaChanges()).toEqual([]);
        });

        it('refuses a raw DELETE of an event', async () => {
          const execution = await givenExecution();
          await expect(
            sql(`DELETE FROM history_events WHERE execution_arn = '${execution.executionArn}'`),
          ).rejects.toThrow(/history_events is append-only: DELETE/);
          expect(await allHistory(execution.executionArn)).toHaveLength(3);
        });
      });
    }
  });
}
