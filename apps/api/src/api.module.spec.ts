import type { JsonValue } from '@lib/asl';
import type { ExecutionStore, WorkQueue } from '@lib/engine';
import { createExecutionStore } from '@lib/persistence';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiModule } from './api.module';
import { type ApiTestApp, enc, eventually, startApiTestApp } from './testing/api-test-app';

const PASS_ONLY = {
  StartAt: 'Greet',
  States: {
    Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}', $.who)" }, Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

const WAITS_AN_HOUR = { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 3600, End: true } } };

const AWAITS_APPROVAL = {
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'RequestApproval', Payload: { 'order.$': '$.order', 'token.$': '$$.Task.Token' } },
      ResultPath: '$.approval',
      End: true,
    },
  },
};

const UNKNOWN_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:Nope';
const UNKNOWN_EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:Nope:nope';

describe(ApiModule.name, () => {
  let sut: ApiTestApp;
  const tokens: string[] = [];

  beforeEach(async () => {
    tokens.length = 0;
    sut = await startApiTestApp({
      taskHandlers: {
        RequestApproval: (_input: JsonValue, context: { taskToken?: string }) => {
          if (context.taskToken !== undefined) tokens.push(context.taskToken);
          return null;
        },
      },
    });
  });
  afterEach(async () => {
    await sut.close();
  });

  const createMachine = async (name: string, definition: object = PASS_ONLY) => {
    const created = await sut.request('POST', '/state-machines', { name, definition });
    expect(created.status).toBe(201);
    return created.body.stateMachineArn as string;
  };

  describe('state machines', () => {
    it('creates, describes, lists, updates and deletes a state machine', async () => {
      const created = await sut.request('POST', '/state-machines', { name: 'Hello', definition: PASS_ONLY });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Hello',
        creationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      const arn = created.body.stateMachineArn as string;

      const described = await sut.request('GET', `/state-machines/${enc(arn)}`);
      expect(described.status).toBe(200);
      expect(described.body).toMatchObject({ stateMachineArn: arn, name: 'Hello', status: 'ACTIVE', type: 'STANDARD' });
      expect(JSON.parse(described.body.definition)).toEqual(PASS_ONLY);

      // Definitions may also come as JSON text, as the AWS SDK sends them.
      expect(
        (
          await sut.request('POST', '/state-machines', {
            name: 'AsText',
            definition: JSON.stringify(PASS_ONLY),
            type: 'EXPRESS',
          })
        ).status,
      ).toBe(201);
      const listed = await sut.request('GET', '/state-machines?maxResults=1');
      expect(listed.status).toBe(200);
      expect(listed.body.stateMachines).toHaveLength(1);
      const rest = await sut.request('GET', `/state-machines?nextToken=${enc(listed.body.nextToken)}`);
      expect(
        [...listed.body.stateMachines, ...rest.body.stateMachines].map((m: { name: string }) => m.name).sort(),
      ).toEqual(['AsText', 'Hello']);

      const before = await sut.request('POST', '/executions', { stateMachineArn: arn });
      const updated = await sut.request('PUT', `/state-machines/${enc(arn)}`, { definition: WAITS_AN_HOUR });
      expect(updated.status).toBe(200);
      // The execution keeps the definition it started with (DescribeStateMachineForExecution).
      const ran = await sut.request('GET', `/executions/${enc(before.body.executionArn)}/state-machine`);
      expect(ran.status).toBe(200);
      expect(ran.body).toMatchObject({ stateMachineArn: arn, revisionId: described.body.revisionId });
      expect(ran.body.definition).toBe(described.body.definition);
      expect(updated.body.revisionId).not.toBe(described.body.revisionId);
      expect(JSON.parse((await sut.request('GET', `/state-machines/${enc(arn)}`)).body.definition)).toEqual(
        WAITS_AN_HOUR,
      );

      expect((await sut.request('DELETE', `/state-machines/${enc(arn)}`)).status).toBe(200);
      expect((await sut.request('GET', `/state-machines/${enc(arn)}`)).body.__type).toBe('StateMachineDoesNotExist');
    });

    it('refuses an invalid definition with 400 and every diagnostic, and stores nothing', async () => {
      const definition = { StartAt: 'Missing', States: { A: { Type: 'Pass', Next: 'Nowhere' }, B: { Type: 'Bogus' } } };
      const refused = await sut.request('POST', '/state-machines', { name: 'Broken', definition });
      expect(refused.status).toBe(400);
      expect(refused.body.__type).toBe('InvalidDefinition');
      expect(refused.body.diagnostics.length).toBeGreaterThanOrEqual(3);
      for (const diagnostic of refused.body.diagnostics) {
        expect(diagnostic).toEqual({
          code: expect.any(String),
          message: expect.any(String),
          location: expect.any(String),
        });
      }
      expect((await sut.request('GET', '/state-machines')).body.stateMachines).toEqual([]);
    });

    it('validates a definition without storing it', async () => {
      expect((await sut.request('POST', '/state-machines/validate', { definition: PASS_ONLY })).body).toEqual({
        result: 'OK',
        diagnostics: [],
      });
      const failed = await sut.request('POST', '/state-machines/validate', { definition: '{"StartAt": 1' });
      expect(failed.status).toBe(200);
      expect(failed.body.result).toBe('FAIL');
      expect(failed.body.diagnostics[0]).toMatchObject({
        severity: 'ERROR',
        code: expect.any(String),
        message: expect.any(String),
      });
      expect((await sut.request('GET', '/state-machines')).body.stateMachines).toEqual([]);
    });

    it('refuses a second state machine of the same name with 409', async () => {
      await createMachine('Twice');
      const again = await sut.request('POST', '/state-machines', { name: 'Twice', definition: WAITS_AN_HOUR });
      expect(again.status).toBe(409);
      expect(again.body.__type).toBe('StateMachineAlreadyExists');
    });
  });

  describe('execution counts', () => {
    it('counts each state machine’s executions by status in the list and in the description', async () => {
      const hello = await createMachine('Hello');
      const slow = await createMachine('Slow', WAITS_AN_HOUR);
      const idle = await createMachine('Idle');
      for (const name of ['a', 'b']) {
        await sut.request('POST', '/executions', { stateMachineArn: hello, name, input: { who: name } });
      }
      await sut.request('POST', '/executions', { stateMachineArn: hello, name: 'no-input' });
      await sut.request('POST', '/executions', { stateMachineArn: slow, name: 'waiting' });
      const stopped = await sut.request('POST', '/executions', { stateMachineArn: slow, name: 'stopped' });
      await sut.request('POST', `/executions/${enc(stopped.body.executionArn)}/stop`);

      const listed = await sut.request('GET', '/state-machines');
      expect(listed.status).toBe(200);
      const counts = Object.fromEntries(
        listed.body.stateMachines.map((machine: { name: string; executionCounts: object }) => [
          machine.name,
          machine.executionCounts,
        ]),
      );
      expect(counts).toEqual({ Hello: { SUCCEEDED: 2, FAILED: 1 }, Slow: { RUNNING: 1, ABORTED: 1 }, Idle: {} });
      const paged = await sut.request('GET', '/state-machines?maxResults=1');
      expect(paged.body.stateMachines).toEqual([
        expect.objectContaining({ name: 'Hello', executionCounts: { SUCCEEDED: 2, FAILED: 1 } }),
      ]);

      expect((await sut.request('GET', `/state-machines/${enc(slow)}`)).body).toMatchObject({
        name: 'Slow',
        executionCounts: { RUNNING: 1, ABORTED: 1 },
      });
      expect((await sut.request('GET', `/state-machines/${enc(idle)}`)).body.executionCounts).toEqual({});

      // The REST API's addition: the Step Functions protocol answers as AWS does.
      const aws = await sut.request(
        'POST',
        '/',
        {},
        {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AWSStepFunctions.ListStateMachines',
        },
      );
      expect(aws.status).toBe(200);
      expect(aws.body.stateMachines).toHaveLength(3);
      expect(aws.body.stateMachines[0]).not.toHaveProperty('executionCounts');
    });
  });

  describe('executions', () => {
    it('runs a Pass-only machine to SUCCEEDED within StartExecution, without a single job', async () => {
      const add = vi.spyOn(sut.queue, 'add');
      const machine = await createMachine('Hello');
      const started = await sut.request('POST', '/executions', {
        stateMachineArn: machine,
        name: 'first',
        input: { who: 'world' },
      });
      expect(started.status).toBe(201);
      expect(started.body).toEqual({
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:Hello:first',
        startDate: expect.stringMatching(/Z$/),
      });
      const arn = started.body.executionArn as string;

      const described = await sut.request('GET', `/executions/${enc(arn)}`);
      expect(described.body).toEqual({
        executionArn: arn,
        stateMachineArn: machine,
        name: 'first',
        status: 'SUCCEEDED',
        startDate: started.body.startDate,
        stopDate: expect.any(String),
        input: '{"who":"world"}',
        output: '{"greeting":"Hello, world"}',
      });

      const history = await sut.request('GET', `/executions/${enc(arn)}/history`);
      expect(history.status).toBe(200);
      expect(history.body.events.map((e: { type: string }) => e.type)).toEqual([
        'ExecutionStarted',
        'PassStateEntered',
        'PassStateExited',
        'SucceedStateEntered',
        'SucceedStateExited',
        'ExecutionSucceeded',
      ]);
      expect(history.body.events[0]).toMatchObject({
        id: 1,
        previousEventId: 0,
        timestamp: expect.any(String),
        executionStartedEventDetails: { input: '{"who":"world"}', roleArn: expect.stringContaining(':role/') },
      });
      // As on AWS, the first state's entry points back to event 0.
      expect(history.body.events[1]).toMatchObject({
        id: 2,
        previousEventId: 0,
        stateEnteredEventDetails: { name: 'Greet' },
      });
      expect(history.body.events[2]).toMatchObject({
        id: 3,
        previousEventId: 2,
        stateExitedEventDetails: { name: 'Greet' },
      });

      const newestFirst = await sut.request('GET', `/executions/${enc(arn)}/history?reverseOrder=true&maxResults=2`);
      expect(newestFirst.body.events.map((e: { id: number }) => e.id)).toEqual([6, 5]);
      const next = await sut.request(
        'GET',
        `/executions/${enc(arn)}/history?reverseOrder=true&maxResults=2&nextToken=${enc(newestFirst.body.nextToken)}`,
      );
      expect(next.body.events.map((e: { id: number }) => e.id)).toEqual([4, 3]);

      expect((await sut.request('GET', `/executions/${enc(arn)}/verify`)).body).toMatchObject({
        valid: true,
        eventCount: 6,
      });
      const listed = await sut.request('GET', `/executions?stateMachineArn=${enc(machine)}&statusFilter=SUCCEEDED`);
      expect(listed.body.executions).toEqual([expect.objectContaining({ executionArn: arn, status: 'SUCCEEDED' })]);
      expect((await sut.request('GET', '/executions?statusFilter=RUNNING')).body.executions).toEqual([]);
      expect(add).not.toHaveBeenCalled();
    });

    it('takes the input as JSON text too, and defaults it to {}', async () => {
      const machine = await createMachine('Echo', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
      const asText = await sut.request('POST', '/executions', { stateMachineArn: machine, input: '{"a": [1, 2]}' });
      expect(
        JSON.parse((await sut.request('GET', `/executions/${enc(asText.body.executionArn)}`)).body.output),
      ).toEqual({ a: [1, 2] });
      const none = await sut.request('POST', '/executions', { stateMachineArn: machine });
      expect((await sut.request('GET', `/executions/${enc(none.body.executionArn)}`)).body).toMatchObject({
        input: '{}',
        output: '{}',
      });
    });

    it('returns the same execution for a repeated start with the same input, 200 instead of 201', async () => {
      const machine = await createMachine('Hello');
      const first = await sut.request('POST', '/executions', {
        stateMachineArn: machine,
        name: 'once',
        input: { who: 'a' },
      });
      const again = await sut.request('POST', '/executions', {
        stateMachineArn: machine,
        name: 'once',
        input: '{ "who": "a" }',
      });
      expect([first.status, again.status]).toEqual([201, 200]);
      expect(again.body).toEqual(first.body);

      const conflict = await sut.request('POST', '/executions', {
        stateMachineArn: machine,
        name: 'once',
        input: { who: 'b' },
      });
      expect(conflict.status).toBe(409);
      expect(conflict.body.__type).toBe('ExecutionAlreadyExists');
      expect((await sut.request('GET', '/executions')).body.executions).toHaveLength(1);
    });

    it('stops a running execution', async () => {
      const machine = await createMachine('Slow', WAITS_AN_HOUR);
      const { body } = await sut.request('POST', '/executions', { stateMachineArn: machine });
      const arn = body.executionArn as string;
      expect((await sut.request('GET', `/executions/${enc(arn)}`)).body.status).toBe('RUNNING');

      const stopped = await sut.request('POST', `/executions/${enc(arn)}/stop`, {
        error: 'Operator',
        cause: 'changed my mind',
      });
      expect(stopped.status).toBe(200);
      expect(stopped.body).toEqual({ stopDate: expect.any(String) });
      expect((await sut.request('GET', `/executions/${enc(arn)}`)).body).toMatchObject({
        status: 'ABORTED',
        stopDate: stopped.body.stopDate,
        error: 'Operator',
        cause: 'changed my mind',
      });
      const events = (await sut.request('GET', `/executions/${enc(arn)}/history`)).body.events as { type: string }[];
      expect(events.at(-1)?.type).toBe('ExecutionAborted');
      // Stopping again changes nothing; a stop needs no body.
      expect((await sut.request('POST', `/executions/${enc(arn)}/stop`)).body).toEqual(stopped.body);
    });

    it('completes a .waitForTaskToken task through POST /tasks/success, once', async () => {
      const machine = await createMachine('Approval', AWAITS_APPROVAL);
      const { body } = await sut.request('POST', '/executions', { stateMachineArn: machine, input: { order: 42 } });
      const arn = body.executionArn as string;
      const token = await eventually(async () => tokens[0]);
      expect((await sut.request('GET', `/executions/${enc(arn)}`)).body.status).toBe('RUNNING');

      expect((await sut.request('POST', '/tasks/heartbeat', { taskToken: token })).status).toBe(200);
      const sent = await sut.request('POST', '/tasks/success', { taskToken: token, output: { approved: true } });
      expect(sent).toMatchObject({ status: 200, body: {} });
      const done = await eventually(async () => {
        const described = await sut.request('GET', `/executions/${enc(arn)}`);
        return described.body.status === 'RUNNING' ? undefined : described.body;
      });
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output)).toEqual({ order: 42, approval: { approved: true } });

      const late = await sut.request('POST', '/tasks/success', { taskToken: token, output: '{}' });
      expect(late.status).toBe(404);
      expect(late.body.__type).toBe('TaskDoesNotExist');
      expect((await sut.request('GET', `/executions/${enc(arn)}/verify`)).body.valid).toBe(true);
    });

    it('lists the tasks an execution waits on, each answerable with its token, and none once it finished', async () => {
      const machine = await createMachine('Approval', AWAITS_APPROVAL);
      const { body } = await sut.request('POST', '/executions', { stateMachineArn: machine, input: { order: 42 } });
      const arn = body.executionArn as string;

      const waiting = await sut.request('GET', `/executions/${enc(arn)}/waiting-tasks`);
      expect(waiting.status).toBe(200);
      expect(waiting.body).toEqual({
        tasks: [
          {
            taskToken: expect.any(String),
            stateName: 'Ask',
            resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            scheduledAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
          },
        ],
      });
      const [task] = waiting.body.tasks as { taskToken: string; scheduledAt: string }[];
      expect(Date.parse(task?.scheduledAt ?? '')).toBeGreaterThanOrEqual(Date.parse(body.startDate));
      expect(task?.taskToken).toBe(await eventually(async () => tokens[0]));

      const sent = await sut.request('POST', '/tasks/success', {
        taskToken: task?.taskToken,
        output: { approved: true },
      });
      expect(sent.status).toBe(200);
      await eventually(async () => {
        const described = await sut.request('GET', `/executions/${enc(arn)}`);
        return described.body.status === 'SUCCEEDED' ? true : undefined;
      });
      expect(await sut.request('GET', `/executions/${enc(arn)}/waiting-tasks`)).toMatchObject({
        status: 200,
        body: { tasks: [] },
      });
      // A machine that waits on nothing.
      const slow = await createMachine('Slow', WAITS_AN_HOUR);
      const sleeping = await sut.request('POST', '/executions', { stateMachineArn: slow });
      expect((await sut.request('GET', `/executions/${enc(sleeping.body.executionArn)}/waiting-tasks`)).body).toEqual({
        tasks: [],
      });
    });

    it('fails a task through POST /tasks/failure, and refuses output that is not JSON', async () => {
      const machine = await createMachine('Approval', AWAITS_APPROVAL);
      const { body } = await sut.request('POST', '/executions', { stateMachineArn: machine, input: { order: 7 } });
      const token = await eventually(async () => tokens[0]);
      const invalid = await sut.request('POST', '/tasks/success', { taskToken: token, output: '{not json' });
      expect(invalid.status).toBe(400);
      expect(invalid.body.__type).toBe('InvalidOutput');

      expect(
        (await sut.request('POST', '/tasks/failure', { taskToken: token, error: 'Rejected', cause: 'no stock' }))
          .status,
      ).toBe(200);
      const done = await eventually(async () => {
        const described = await sut.request('GET', `/executions/${enc(body.executionArn)}`);
        return described.body.status === 'RUNNING' ? undefined : described.body;
      });
      expect(done).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'no stock' });
    });
  });

  describe('execution list filters', () => {
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    const names = (response: { body: { executions: { name: string }[] } }) =>
      response.body.executions.map((execution) => execution.name);

    it('lists the executions started in [startedAfter, startedBefore) whose name or ARN contains a search', async () => {
      const orders = await createMachine('Orders');
      const refunds = await createMachine('Refunds');
      const started: Record<string, string> = {};
      for (const [machine, name] of [
        [orders, 'order-1'],
        [orders, 'ORDER_2'],
        [refunds, 'order-3'],
        [refunds, 'late'],
      ] as const) {
        await pause();
        started[name] = (await sut.request('POST', '/executions', { stateMachineArn: machine, name })).body.startDate;
      }
      const list = (query: Record<string, string>) => sut.request('GET', `/executions?${new URLSearchParams(query)}`);

      expect(names(await list({ startedAfter: started['ORDER_2'] as string }))).toEqual(['late', 'order-3', 'ORDER_2']);
      expect(names(await list({ startedBefore: started['ORDER_2'] as string }))).toEqual(['order-1']);
      expect(
        names(await list({ startedAfter: started['ORDER_2'] as string, startedBefore: started['late'] as string })),
      ).toEqual(['order-3', 'ORDER_2']);
      // Any zone: the same instant in Paris.
      const paris = new Date(Date.parse(started['late'] as string) + 3_600_000).toISOString().replace('Z', '+01:00');
      expect(names(await list({ startedAfter: paris }))).toEqual(['late']);

      expect(names(await list({ search: 'Order' }))).toEqual(['order-3', 'ORDER_2', 'order-1']);
      expect(names(await list({ search: 'r_2' }))).toEqual(['ORDER_2']);
      expect(names(await list({ search: 'refunds:' }))).toEqual(['late', 'order-3']);
      expect(names(await list({ search: 'order', stateMachineArn: orders }))).toEqual(['ORDER_2', 'order-1']);
      expect(names(await list({ search: '' }))).toHaveLength(4);
      expect(names(await list({ search: 'order', statusFilter: 'RUNNING' }))).toEqual([]);

      const first = await list({ search: 'order', maxResults: '2' });
      expect(names(first)).toEqual(['order-3', 'ORDER_2']);
      const second = await list({ search: 'order', maxResults: '2', nextToken: first.body.nextToken });
      expect(second.body).toEqual({ executions: [expect.objectContaining({ name: 'order-1' })] });
      const foreign = await list({ search: 'ORDER', maxResults: '2', nextToken: first.body.nextToken });
      expect(foreign.status).toBe(400);
      expect(foreign.body.__type).toBe('InvalidToken');
    });

    it.each([
      [{ startedAfter: 'yesterday' }, "'startedAfter' must be an ISO-8601 date-time with a time zone"],
      [{ startedAfter: '2030-01-31' }, "'startedAfter' must be an ISO-8601 date-time with a time zone"],
      [{ startedBefore: '2030-01-31T09:30:00' }, "'startedBefore' must be an ISO-8601 date-time with a time zone"],
      [{ startedBefore: '2030-02-30T00:00:00Z' }, "got '2030-02-30T00:00:00Z'"],
      [{ startedAfter: '2030-01-31T24:00:00Z' }, "got '2030-01-31T24:00:00Z'"],
      [
        { startedAfter: '2030-02-01T00:00:00Z', startedBefore: '2030-01-01T00:00:00Z' },
        "'startedAfter' (2030-02-01T00:00:00Z) is later than 'startedBefore' (2030-01-01T00:00:00Z)",
      ],
      [{ search: 'x'.repeat(257) }, "'search' must NOT have more than 256 characters"],
      [{ started: '2030-01-01T00:00:00Z' }, "'started' is not a field of the query string"],
    ])('refuses %j with 400 ValidationException', async (query, message) => {
      const response = await sut.request('GET', `/executions?${new URLSearchParams(query)}`);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ __type: 'ValidationException', message: expect.stringContaining(message) });
    });

    it('takes an empty range and a search of 256 characters', async () => {
      const at = '2030-01-31T09:30:00.000Z';
      expect((await sut.request('GET', `/executions?startedAfter=${at}&startedBefore=${at}`)).body).toEqual({
        executions: [],
      });
      expect((await sut.request('GET', `/executions?search=${'%25'.repeat(256)}`)).body).toEqual({ executions: [] });
    });
  });

  describe('activities', () => {
    it('hands an activity task to a polling worker, and answers {} when none arrives', async () => {
      const created = await sut.request('POST', '/activities', { name: 'Review' });
      expect(created.status).toBe(201);
      const activityArn = created.body.activityArn as string;
      expect(activityArn).toBe('arn:aws:states:us-east-1:123456789012:activity:Review');

      const empty = await sut.request('GET', `/activities/${enc(activityArn)}/task?workerName=w1`);
      expect(empty).toMatchObject({ status: 200, body: {} });

      // The activity is the first state: StartExecution's own inline step schedules it.
      const machine = await createMachine('Reviewed', {
        StartAt: 'R',
        States: { R: { Type: 'Task', Resource: activityArn, End: true } },
      });
      const { body } = await sut.request('POST', '/executions', { stateMachineArn: machine, input: { doc: 1 } });
      const task = await eventually(async () => {
        const polled = await sut.request('GET', `/activities/${enc(activityArn)}/task?workerName=w1`);
        return polled.body.taskToken === undefined ? undefined : polled.body;
      });
      expect(JSON.parse(task.input)).toEqual({ doc: 1 });
      await sut.request('POST', '/tasks/success', { taskToken: task.taskToken, output: { ok: true } });
      const done = await eventually(async () => {
        const described = await sut.request('GET', `/executions/${enc(body.executionArn)}`);
        return described.body.status === 'RUNNING' ? undefined : described.body;
      });
      expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}' });
    });
  });

  describe('refusals', () => {
    it.each([
      ['GET', `/state-machines/${enc(UNKNOWN_MACHINE)}`, 'StateMachineDoesNotExist'],
      [
        'PUT',
        `/state-machines/${enc(UNKNOWN_MACHINE)}`,
        'StateMachineDoesNotExist',
        { roleArn: 'arn:aws:iam::123456789012:role/R' },
      ],
      ['DELETE', `/state-machines/${enc(UNKNOWN_MACHINE)}`, 'StateMachineDoesNotExist'],
      ['POST', '/executions', 'StateMachineDoesNotExist', { stateMachineArn: UNKNOWN_MACHINE }],
      ['GET', `/executions?stateMachineArn=${enc(UNKNOWN_MACHINE)}`, 'StateMachineDoesNotExist'],
      ['GET', `/executions/${enc(UNKNOWN_EXECUTION)}`, 'ExecutionDoesNotExist'],
      ['GET', `/executions/${enc(UNKNOWN_EXECUTION)}/history`, 'ExecutionDoesNotExist'],
      ['GET', `/executions/${enc(UNKNOWN_EXECUTION)}/verify`, 'ExecutionDoesNotExist'],
      ['GET', `/executions/${enc(UNKNOWN_EXECUTION)}/waiting-tasks`, 'ExecutionDoesNotExist'],
      ['GET', `/executions/${enc(UNKNOWN_EXECUTION)}/state-machine`, 'ExecutionDoesNotExist'],
      ['POST', `/executions/${enc(UNKNOWN_EXECUTION)}/stop`, 'ExecutionDoesNotExist', {}],
      ['POST', '/tasks/success', 'TaskDoesNotExist', { taskToken: 'no-such-token', output: '{}' }],
      ['POST', '/tasks/failure', 'TaskDoesNotExist', { taskToken: 'no-such-token' }],
      ['POST', '/tasks/heartbeat', 'TaskDoesNotExist', { taskToken: 'no-such-token' }],
      ['GET', `/activities/${enc('arn:aws:states:us-east-1:123456789012:activity:Nope')}/task`, 'ActivityDoesNotExist'],
      ['GET', '/no/such/route', 'UnknownOperationException'],
    ])('%s %s → 404 %s', async (method, path, type, body?: object) => {
      const response = await sut.request(method, path, body);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ __type: type, message: expect.any(String) });
    });

    it.each([
      ['GET', '/state-machines/not-an-arn'],
      ['GET', `/executions/${enc(UNKNOWN_MACHINE)}`],
      ['GET', `/executions/${enc(UNKNOWN_MACHINE)}/waiting-tasks`],
      ['POST', '/executions', { stateMachineArn: UNKNOWN_EXECUTION }],
    ])('%s %s → 400 InvalidArn for what is not an ARN of the right kind', async (method, path, body?: object) => {
      const response = await sut.request(method, path, body);
      expect(response.status).toBe(400);
      expect(response.body.__type).toBe('InvalidArn');
    });

    it.each([
      [{ definition: PASS_ONLY }, "'name' is required"],
      [{ name: 'X', definition: 42 }, "'definition' must be a JSON object or a string"],
      [{ name: 'X', definition: PASS_ONLY, type: 'SLOW' }, `'type' must be one of "STANDARD", "EXPRESS"`],
      [
        { name: 'X', definition: PASS_ONLY, stateMachineARN: 'x' },
        "'stateMachineARN' is not a field of the request body",
      ],
      [[1, 2], 'the request body must be a JSON object'],
      [undefined, "'name' is required; 'definition' is required"],
    ])('refuses %j with 400 ValidationException naming the field', async (body, message) => {
      const response = await sut.request('POST', '/state-machines', body);
      expect(response.status).toBe(400);
      expect(response.body.__type).toBe('ValidationException');
      expect(response.body.message).toContain(message);
    });

    it('refuses a bad name, status filter or page size', async () => {
      expect(
        (await sut.request('POST', '/state-machines', { name: 'has space', definition: PASS_ONLY })).body.__type,
      ).toBe('InvalidName');
      expect((await sut.request('GET', '/executions?statusFilter=DONE')).body.message).toContain(
        "'statusFilter' must be one of",
      );
      expect((await sut.request('GET', '/state-machines?maxResults=0')).body.message).toContain(
        "'maxResults' must be >= 1",
      );
      expect((await sut.request('GET', '/state-machines?maxResults=ten')).body.message).toContain(
        "'maxResults' must be an integer",
      );
    });

    it('refuses malformed JSON with 400 SerializationException, whatever the route', async () => {
      for (const path of ['/state-machines', '/executions', '/tasks/success', '/activities']) {
        const response = await sut.request('POST', path, '{"name": "x",');
        expect(response.status).toBe(400);
        expect(response.body.__type).toBe('SerializationException');
      }
      expect((await sut.request('GET', '/state-machines')).body.stateMachines).toEqual([]);
    });

    it('admits a large input, refuses one over 256 KiB with 400, and a far larger body with 413, writing nothing', async () => {
      const machine = await createMachine('Echo', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
      const big = { data: 'x'.repeat(250 * 1024) };
      const admitted = await sut.request('POST', '/executions', {
        stateMachineArn: machine,
        name: 'big',
        input: JSON.stringify(big),
      });
      expect(admitted.status).toBe(201);

      const over = { data: 'x'.repeat(257 * 1024) };
      const refused = await sut.request('POST', '/executions', { stateMachineArn: machine, name: 'over', input: over });
      expect(refused.status).toBe(400);
      expect(refused.body.__type).toBe('InvalidExecutionInput');

      const huge = await sut.request('POST', '/executions', {
        stateMachineArn: machine,
        name: 'huge',
        input: { data: 'x'.repeat(5 * 1024 * 1024) },
      });
      expect(huge.status).toBe(413);
      expect(huge.body.__type).toBe('RequestEntityTooLarge');
      expect((await sut.request('GET', '/executions')).body.executions.map((e: { name: string }) => e.name)).toEqual([
        'big',
      ]);
    });

    it('stops reading a body sent without Content-Length once it passes the limit', async () => {
      const chunk = new TextEncoder().encode(`"${'x'.repeat(64 * 1024)}",`);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(new TextEncoder().encode('{"stateMachineArn": ['));
          if (sent++ < 80) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const response = await fetch(`${sut.url}/executions`, { method: 'POST', body, duplex: 'half' } as RequestInit);
      expect(response.status).toBe(413);
      expect(((await response.json()) as { __type: string }).__type).toBe('RequestEntityTooLarge');
    });

    it('answers anything unexpected with a generic 500, keeping the details for the log', async () => {
      vi.spyOn(sut.store, 'listStateMachines').mockRejectedValue(new Error('disk on fire at /var/secret'));
      const response = await sut.request('GET', '/state-machines');
      expect(response.status).toBe(500);
      expect(response.body.__type).toBe('InternalFailure');
      expect(JSON.stringify(response.body)).not.toContain('secret');
    });
  });

  describe('health', () => {
    it('is ready when the store and the queue answer', async () => {
      expect(await sut.request('GET', '/health')).toMatchObject({
        status: 200,
        body: { status: 'ok', store: 'up', queue: 'up' },
      });
    });
  });

  describe('OpenAPI document', () => {
    it('describes every route', async () => {
      const document = await sut.request('GET', '/docs-json');
      expect(document.status).toBe(200);
      expect(Object.keys(document.body.paths).sort()).toEqual([
        '/activities',
        '/activities/{arn}/task',
        '/executions',
        '/executions/{arn}',
        '/executions/{arn}/history',
        '/executions/{arn}/state-machine',
        '/executions/{arn}/stop',
        '/executions/{arn}/verify',
        '/executions/{arn}/waiting-tasks',
        '/health',
        '/state-machines',
        '/state-machines/validate',
        '/state-machines/{arn}',
        '/tasks/failure',
        '/tasks/heartbeat',
        '/tasks/success',
      ]);
      expect((await sut.request('GET', '/docs')).status).toBe(200);
    });
  });
});

describe('health with a failing backend', () => {
  it('answers 503 when the store does not answer', async () => {
    const store: ExecutionStore = (await createExecutionStore({ kind: 'memory' })).store;
    vi.spyOn(store, 'ping').mockRejectedValue(new Error('connection refused'));
    const sut = await startApiTestApp({ store });
    try {
      expect(await sut.request('GET', '/health')).toMatchObject({
        status: 503,
        body: { status: 'unavailable', store: 'down', queue: 'up' },
      });
    } finally {
      await sut.close();
    }
  });

  it('answers 503 when the queue does not answer', async () => {
    const sut = await startApiTestApp({ withWorker: false });
    vi.spyOn(sut.queue as WorkQueue, 'ping').mockRejectedValue(new Error('ECONNREFUSED'));
    try {
      expect(await sut.request('GET', '/health')).toMatchObject({ status: 503, body: { store: 'up', queue: 'down' } });
    } finally {
      await sut.close();
    }
  });
});

describe('GetActivityTask at shutdown', () => {
  it('ends a waiting long poll with an empty answer instead of holding the process open', async () => {
    const sut = await startApiTestApp({ activityPoll: { timeoutMs: 60_000, intervalMs: 20 } });
    const { body } = await sut.request('POST', '/activities', { name: 'Idle' });
    const started = Date.now();
    const polling = sut.request('GET', `/activities/${enc(body.activityArn)}/task`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sut.close();
    expect(await polling).toMatchObject({ status: 200, body: {} });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('API_TOKEN', () => {
  let sut: ApiTestApp;
  beforeEach(async () => {
    sut = await startApiTestApp({ env: { API_TOKEN: 'let-me-in' } });
  });
  afterEach(async () => {
    await sut.close();
  });

  it('refuses a request without the bearer token with 401, before reading its body', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: 'let-me-in' },
      { authorization: 'Basic bGV0LW1lLWlu' },
    ];
    for (const headers of attempts) {
      const response = await sut.request('POST', '/state-machines', '{malformed', headers);
      expect(response.status).toBe(401);
      expect(response.body.__type).toBe('UnrecognizedClientException');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect((await sut.request('GET', '/no/such/route')).status).toBe(401);
  });

  it('serves requests that carry it, and /health and /docs without it', async () => {
    expect((await sut.request('GET', '/state-machines', undefined, { authorization: 'Bearer let-me-in' })).status).toBe(
      200,
    );
    expect((await sut.request('GET', '/health')).status).toBe(200);
    expect((await sut.request('GET', '/docs-json')).status).toBe(200);
  });
});
