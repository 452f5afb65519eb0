import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRASH_TEST_HANDLERS } from './support/crash-test-workflow';
import { databaseFingerprint } from './support/database-fingerprint';
import { type ApiResponse, enc } from './support/service-api.client';
import { buildServiceBundles, eventually, ServiceHarness } from './support/service-processes';

/**
 * Bad input through the real API process on Postgres: each refusal is a clear 4xx with AWS's error name — never a
 * 500 — and writes nothing: every row of every store table, and what the list routes answer, is the same before
 * and after. Then random and malformed JSON at every route, which must never get a 500.
 */

const UNKNOWN_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:nowhere';
const UNKNOWN_EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:nowhere:nobody';
const UNKNOWN_ACTIVITY = 'arn:aws:states:us-east-1:123456789012:activity:nowhere';
const VALID_DEFINITION = { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } };
/** One byte over Step Functions' 256 KiB payload limit, once serialised. */
const OVERSIZED = { blob: 'x'.repeat(256 * 1024) };

/** What the suite's service holds once set up: an execution waiting on a task, and one stopped while it waited. */
interface Fixture {
  readonly service: ServiceHarness;
  readonly activityArn: string;
  readonly machineArn: string;
  readonly waitingArn: string;
  readonly waitingToken: string;
  readonly stoppedArn: string;
  readonly stoppedToken: string;
}

describe('Bad input through the REST API on Postgres', () => {
  let fixture: Fixture | undefined;
  const the = (): Fixture => fixture as Fixture;

  beforeAll(async () => {
    await buildServiceBundles();
    const service = await ServiceHarness.start({ handlersModule: CRASH_TEST_HANDLERS });
    try {
      await service.startWorker();
      const { api } = service;
      const activity = await api.request('POST', '/activities', { name: 'review' });
      const activityArn = activity.body.activityArn as string;
      const machineArn = await api.createStateMachine('awaiting-review', {
        StartAt: 'Review',
        States: { Review: { Type: 'Task', Resource: activityArn, End: true } },
      });
      /** Starts an execution and takes its activity task, as an activity worker would: the task token. */
      const startAndClaim = async (name: string): Promise<[string, string]> => {
        const arn = await api.startExecution(machineArn, '{"case":1}', name);
        const task = await api.request('GET', `/activities/${enc(activityArn)}/task?workerName=tester`);
        if (task.status !== 200 || typeof task.body.taskToken !== 'string') throw new Error(`no task: ${task.text}`);
        // The worker records ActivityStarted; once it has, nothing of this execution moves until a token arrives.
        await eventually(
          'ActivityStarted',
          () => api.lastEvent(arn),
          (event) => event.type === 'ActivityStarted',
          { timeoutMs: 15_000 },
        );
        return [arn, task.body.taskToken as string];
      };
      const [waitingArn, waitingToken] = await startAndClaim('waiting');
      const [stoppedArn, stoppedToken] = await startAndClaim('stopped');
      const stop = await api.request('POST', `/executions/${enc(stoppedArn)}/stop`, {
        error: 'Stopped',
        cause: 'test',
      });
      if (stop.status !== 200) throw new Error(`stop: ${stop.text}`);
      fixture = { service, activityArn, machineArn, waitingArn, waitingToken, stoppedArn, stoppedToken };
    } catch (e) {
      await service.dispose();
      throw e;
    }
  }, 90_000);

  afterAll(async () => {
    await fixture?.service.dispose();
  }, 30_000);

  /** Everything a write could change: every store table, and what the list routes answer. */
  async function observable(): Promise<unknown> {
    const { api, database } = the().service;
    const [tables, machines, executions] = await Promise.all([
      databaseFingerprint(database.url),
      api.request('GET', '/state-machines?maxResults=1000'),
      api.request('GET', '/executions?maxResults=1000'),
    ]);
    return { tables, machines: machines.body, executions: executions.body };
  }

  interface Refusal {
    readonly what: string;
    readonly send: (f: Fixture) => [method: string, path: string, body?: unknown];
    readonly status: number;
    readonly type: string;
  }

  const REFUSALS: readonly Refusal[] = [
    // Malformed JSON
    {
      what: 'a truncated JSON body for CreateStateMachine',
      send: () => ['POST', '/state-machines', '{"name":"m","definition":'],
      status: 400,
      type: 'SerializationException',
    },
    {
      what: 'a body that is not JSON for StartExecution',
      send: (f) => ['POST', '/executions', `{stateMachineArn: '${f.machineArn}'}`],
      status: 400,
      type: 'SerializationException',
    },
    {
      what: 'a JSON body with a trailing comma for SendTaskSuccess',
      send: (f) => ['POST', '/tasks/success', `{"taskToken":"${f.waitingToken}","output":{},}`],
      status: 400,
      type: 'SerializationException',
    },
    {
      what: 'an execution input that is not JSON text',
      send: (f) => ['POST', '/executions', { stateMachineArn: f.machineArn, input: '{"case":', name: 'broken' }],
      status: 400,
      type: 'InvalidExecutionInput',
    },
    {
      what: 'a task output that is not JSON text',
      send: (f) => ['POST', '/tasks/success', { taskToken: f.waitingToken, output: '{"approved":' }],
      status: 400,
      type: 'InvalidOutput',
    },
    // Invalid definitions
    {
      what: 'an invalid definition for CreateStateMachine',
      send: () => [
        'POST',
        '/state-machines',
        { name: 'invalid', definition: { StartAt: 'Nowhere', States: { A: { Type: 'Pass', Next: 'Missing' } } } },
      ],
      status: 400,
      type: 'InvalidDefinition',
    },
    {
      what: 'a definition whose text is not JSON',
      send: () => ['POST', '/state-machines', { name: 'not-json', definition: '{"StartAt": "A", "States": {' }],
      status: 400,
      type: 'InvalidDefinition',
    },
    {
      what: 'an invalid definition for UpdateStateMachine',
      send: (f) => [
        'PUT',
        `/state-machines/${enc(f.machineArn)}`,
        { definition: { StartAt: 'A', States: { A: { Type: 'Task', End: true } } } },
      ],
      status: 400,
      type: 'InvalidDefinition',
    },
    // Unknown ARNs
    {
      what: 'an unknown state machine for DescribeStateMachine',
      send: () => ['GET', `/state-machines/${enc(UNKNOWN_MACHINE)}`],
      status: 404,
      type: 'StateMachineDoesNotExist',
    },
    {
      what: 'an unknown state machine for UpdateStateMachine',
      send: () => ['PUT', `/state-machines/${enc(UNKNOWN_MACHINE)}`, { definition: VALID_DEFINITION }],
      status: 404,
      type: 'StateMachineDoesNotExist',
    },
    {
      what: 'an unknown state machine for StartExecution',
      send: () => ['POST', '/executions', { stateMachineArn: UNKNOWN_MACHINE, input: '{}' }],
      status: 404,
      type: 'StateMachineDoesNotExist',
    },
    {
      what: 'an unknown state machine for ListExecutions',
      send: () => ['GET', `/executions?stateMachineArn=${enc(UNKNOWN_MACHINE)}`],
      status: 404,
      type: 'StateMachineDoesNotExist',
    },
    ...(['', '/history', '/verify'] as const).map((route): Refusal => ({
      what: `an unknown execution for GET /executions/{arn}${route}`,
      send: () => ['GET', `/executions/${enc(UNKNOWN_EXECUTION)}${route}`],
      status: 404,
      type: 'ExecutionDoesNotExist',
    })),
    {
      what: 'an unknown execution for StopExecution',
      send: () => ['POST', `/executions/${enc(UNKNOWN_EXECUTION)}/stop`, { error: 'E' }],
      status: 404,
      type: 'ExecutionDoesNotExist',
    },
    {
      what: 'an unknown activity for GetActivityTask',
      send: () => ['GET', `/activities/${enc(UNKNOWN_ACTIVITY)}/task?workerName=tester`],
      status: 404,
      type: 'ActivityDoesNotExist',
    },
    {
      what: 'a state machine ARN where an execution ARN belongs',
      send: (f) => ['GET', `/executions/${enc(f.machineArn)}`],
      status: 400,
      type: 'InvalidArn',
    },
    // Oversized payloads
    {
      what: 'an execution input over 256 KiB, as JSON',
      send: (f) => ['POST', '/executions', { stateMachineArn: f.machineArn, input: OVERSIZED, name: 'big' }],
      status: 400,
      type: 'InvalidExecutionInput',
    },
    {
      what: 'an execution input over 256 KiB, as JSON text',
      send: (f) => [
        'POST',
        '/executions',
        { stateMachineArn: f.machineArn, input: JSON.stringify(OVERSIZED), name: 'big-text' },
      ],
      status: 400,
      type: 'InvalidExecutionInput',
    },
    {
      what: 'a request body over the 2 MiB the API reads',
      send: (f) => [
        'POST',
        '/executions',
        { stateMachineArn: f.machineArn, input: { blob: 'x'.repeat(3 * 1024 * 1024) } },
      ],
      status: 413,
      type: 'RequestEntityTooLarge',
    },
    // Task tokens
    ...(
      [
        ['success', { output: { approved: true } }],
        ['failure', { error: 'Rejected', cause: 'by the test' }],
        ['heartbeat', {}],
      ] as const
    ).flatMap(([route, fields]): Refusal[] => [
      {
        what: `a task token that was never issued, for /tasks/${route}`,
        send: () => ['POST', `/tasks/${route}`, { taskToken: '6f1d1a52-3c1e-4f61-9a51-2f1e8e8f4a10', ...fields }],
        status: 404,
        type: 'TaskDoesNotExist',
      },
      {
        what: `a stopped execution's task token, for /tasks/${route}`,
        send: (f) => ['POST', `/tasks/${route}`, { taskToken: f.stoppedToken, ...fields }],
        status: 404,
        type: 'TaskDoesNotExist',
      },
    ]),
    {
      what: 'a task output over 256 KiB',
      send: (f) => ['POST', '/tasks/success', { taskToken: f.waitingToken, output: OVERSIZED }],
      status: 400,
      type: 'InvalidOutput',
    },
    {
      what: 'an empty task token',
      send: () => ['POST', '/tasks/success', { taskToken: '', output: {} }],
      status: 400,
      type: 'ValidationException',
    },
    // Names
    {
      what: 'a repeated execution name with another input',
      send: (f) => ['POST', '/executions', { stateMachineArn: f.machineArn, input: '{"case":2}', name: 'waiting' }],
      status: 409,
      type: 'ExecutionAlreadyExists',
    },
    {
      what: 'an execution name with characters Step Functions refuses',
      send: (f) => ['POST', '/executions', { stateMachineArn: f.machineArn, name: 'two words' }],
      status: 400,
      type: 'InvalidName',
    },
  ];

  it.for(REFUSALS)('refuses $what with $status $type and writes nothing', async (refusal) => {
    const { api } = the().service;
    const before = await observable();
    const [method, path, body] = refusal.send(the());
    const response: ApiResponse = await api.request(method, path, body);
    expect([response.status, response.body?.__type], response.text).toEqual([refusal.status, refusal.type]);
    expect(response.body.message).toMatch(/\S/);
    expect(await observable()).toEqual(before);
  });

  it('lists every problem of an invalid definition, each at its JSON location', async () => {
    const response = await the().service.api.request('POST', '/state-machines', {
      name: 'invalid',
      definition: { StartAt: 'Nowhere', States: { A: { Type: 'Pass', Next: 'Missing' } } },
    });
    expect(response.status).toBe(400);
    expect(response.body.diagnostics.map((d: { location: string }) => d.location)).toEqual(
      expect.arrayContaining(['/StartAt', '/States/A/Next']),
    );
  });

  it('leaves the waiting execution waiting after every refusal', async () => {
    const { api } = the().service;
    expect((await api.describeExecution(the().waitingArn)).status).toBe('RUNNING');
    expect((await api.lastEvent(the().waitingArn)).type).toBe('ActivityStarted');
  });

  // Postgres `text` cannot hold U+0000 (SQLite and memory can), yet JSON strings may carry it: a stop's error, a
  // task's failure, a Fail state's Cause. Those are valid input; they must never be a 500, nor leave an execution
  // that no step can ever commit.
  describe('with text Postgres cannot store (U+0000)', () => {
    it('stops an execution whose StopExecution error and cause hold U+0000', async () => {
      const { api } = the().service;
      const machine = await api.createStateMachine('nul-stop', {
        StartAt: 'Wait',
        States: { Wait: { Type: 'Wait', Seconds: 3600, End: true } },
      });
      const arn = await api.startExecution(machine, '{}', 'nul-stop');
      const stop = await api.request('POST', `/executions/${enc(arn)}/stop`, { error: 'a\u0000b', cause: 'c\u0000' });
      expect(stop.status, stop.text).toBe(200);
      // The history keeps the error exactly; the execution's row shows U+FFFD where Postgres text cannot hold U+0000.
      expect((await api.lastEvent(arn)).executionAbortedEventDetails).toEqual({ error: 'a\u0000b', cause: 'c\u0000' });
      expect(await api.describeExecution(arn)).toMatchObject({ status: 'ABORTED', error: 'a\uFFFDb' });
      expect(await api.verify(arn)).toMatchObject({ valid: true });
    });

    it('fails, rather than strands, an execution whose task failed with U+0000 in its error', async () => {
      const { api } = the().service;
      const arn = await api.startExecution(the().machineArn, '{"case":3}', 'nul-failure');
      const task = await api.request(
        'GET',
        `/activities/${enc(the().activityArn)}/task?workerName=${enc('worker\u0000one')}`,
      );
      expect(task.status, task.text).toBe(200);
      const failure = await api.request('POST', '/tasks/failure', {
        taskToken: task.body.taskToken,
        error: 'Broken\u0000',
        cause: 'nul\u0000cause',
      });
      expect(failure.status, failure.text).toBe(200);
      const done = await eventually(
        'the execution to fail',
        () => api.describeExecution(arn),
        (execution) => execution.status !== 'RUNNING',
        { timeoutMs: 15_000 },
      );
      expect(done).toMatchObject({ status: 'FAILED', error: 'Broken\uFFFD' });
      expect(await api.verify(arn)).toMatchObject({ valid: true });
    });

    it('fails an execution at once in a Fail state whose Cause holds U+0000', async () => {
      const { api } = the().service;
      const machine = await api.createStateMachine('nul-fail-state', {
        StartAt: 'Fail',
        States: { Fail: { Type: 'Fail', Error: 'Refused', Cause: 'because\u0000' } },
      });
      const arn = await api.startExecution(machine, '{}', 'nul-fail-state');
      expect(await api.describeExecution(arn)).toMatchObject({ status: 'FAILED', cause: 'because\uFFFD' });
    });

    it('creates a state machine whose role ARN holds U+0000, and finds no execution by an ARN holding it', async () => {
      const { api } = the().service;
      const created = await api.request('POST', '/state-machines', {
        name: 'nul-role',
        definition: VALID_DEFINITION,
        roleArn: 'arn:aws:iam::123456789012:role/a\u0000b',
      });
      expect(created.status, created.text).toBe(201);
      const lookup = await api.request('GET', `/executions/${enc(`${UNKNOWN_EXECUTION}\u0000`)}`);
      expect([lookup.status, lookup.body.__type]).toEqual([404, 'ExecutionDoesNotExist']);
    });
  });

  describe('under random and malformed JSON', () => {
    /** Seeded, so that a failure names its seed and replays exactly (mulberry32). */
    function randomSource(seed: number) {
      let state = seed >>> 0;
      const next = (): number => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
      };
      const below = (n: number): number => Math.floor(next() * n);
      const oneOf = <T>(items: readonly T[]): T => items[below(items.length)] as T;
      return { below, oneOf };
    }
    type Random = ReturnType<typeof randomSource>;

    /** Words the routes know, so that random objects often pass the shape checks and reach the driver and store. */
    const KEYS = ['name', 'definition', 'type', 'roleArn', 'stateMachineArn', 'input', 'output', 'taskToken', 'error'];
    const TEXTS = [
      '',
      'x',
      'STANDARD',
      '{}',
      '[]',
      '{"a":',
      JSON.stringify(VALID_DEFINITION),
      '\u0000',
      'a\u0000b',
      '\ud800',
      '\udfff\ud800',
      '💥',
      '%',
      '../..',
      'arn:aws:states:us-east-1:123456789012:stateMachine:awaiting-review',
      'y'.repeat(5_000),
    ];

    function randomJson(r: Random, depth = 0): unknown {
      switch (r.below(depth >= 3 ? 3 : 5)) {
        case 0:
          return r.oneOf([null, true, false, 0, -1, 0.5, 1e308, -1e-308, 2 ** 63]);
        case 1:
        case 2:
          return r.oneOf(TEXTS);
        case 3:
          return Array.from({ length: r.below(4) }, () => randomJson(r, depth + 1));
        default:
          return Object.fromEntries(
            Array.from({ length: r.below(5) }, () => [
              r.oneOf([...KEYS, '__proto__', 'constructor', '']),
              randomJson(r, depth + 1),
            ]),
          );
      }
    }

    /** A body: a valid request with one field changed or dropped, any JSON at all, or bytes that are not JSON. */
    function randomBody(r: Random, valid: Record<string, unknown> | undefined): string | Uint8Array {
      const text = JSON.stringify(randomJson(r));
      switch (r.below(valid === undefined ? 5 : 7)) {
        case 0:
          return text.slice(0, Math.max(0, text.length - 1 - r.below(3)));
        case 1:
          return `${text}${r.oneOf([',', '}', ']', '\u0000', ' garbage'])}`;
        case 2:
          return Uint8Array.from({ length: 1 + r.below(40) }, () => r.below(256));
        case 3:
          return r.oneOf([
            '{',
            '"',
            'nul',
            "{'a':1}",
            '{"a":1,}',
            'NaN',
            '\ufeff{}',
            '1e99999',
            `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
          ]);
        case 4:
          return text;
        default: {
          const body: Record<string, unknown> = { ...valid };
          const key = r.oneOf([...Object.keys(body), ...KEYS]);
          if (r.below(3) === 0) delete body[key];
          else body[key] = randomJson(r);
          return JSON.stringify(body);
        }
      }
    }

    const QUERIES = [
      '',
      '?maxResults=0',
      '?maxResults=x',
      '?nextToken=%00',
      '?nextToken=garbage',
      '?reverseOrder=2',
      '?statusFilter=nope',
      '?stateMachineArn=%ED%A0%80',
      '?workerName=%00',
      '?x=1&x=2',
    ];

    /** Every route, with a valid body to mutate where it takes one. */
    const ROUTES: readonly [
      method: string,
      path: (arn: string) => string,
      valid?: (f: Fixture) => Record<string, unknown>,
    ][] = [
      ['POST', () => '/state-machines', () => ({ name: 'fuzzed', definition: VALID_DEFINITION })],
      ['GET', () => '/state-machines'],
      ['POST', () => '/state-machines/validate', () => ({ definition: VALID_DEFINITION })],
      ['GET', (arn) => `/state-machines/${arn}`],
      ['PUT', (arn) => `/state-machines/${arn}`, () => ({ definition: VALID_DEFINITION })],
      ['DELETE', (arn) => `/state-machines/${arn}`],
      ['POST', () => '/executions', (f) => ({ stateMachineArn: f.machineArn, input: { case: 9 }, name: 'fuzzed' })],
      ['GET', () => '/executions'],
      ['GET', (arn) => `/executions/${arn}`],
      ['GET', (arn) => `/executions/${arn}/history`],
      ['POST', (arn) => `/executions/${arn}/stop`, () => ({ error: 'Fuzzed', cause: 'fuzz' })],
      ['GET', (arn) => `/executions/${arn}/verify`],
      ['POST', () => '/tasks/success', (f) => ({ taskToken: f.waitingToken, output: { ok: true } })],
      ['POST', () => '/tasks/failure', (f) => ({ taskToken: f.waitingToken, error: 'E', cause: 'C' })],
      ['POST', () => '/tasks/heartbeat', (f) => ({ taskToken: f.waitingToken })],
      ['POST', () => '/activities', () => ({ name: 'fuzzed' })],
      ['GET', (arn) => `/activities/${arn}/task`],
      ['GET', () => '/health'],
    ];

    it.for(ROUTES.map(([method, path], index) => ({ route: `${method} ${path('{arn}')}`, index })))(
      '$route never answers 500',
      { timeout: 60_000 },
      async ({ index }) => {
        const [method, path, valid] = ROUTES[index] as (typeof ROUTES)[number];
        const { api } = the().service;
        const r = randomSource(7_000 + index);
        const arns = [
          the().machineArn,
          the().waitingArn,
          the().stoppedArn,
          the().activityArn,
          UNKNOWN_MACHINE,
          UNKNOWN_EXECUTION,
          `${UNKNOWN_EXECUTION}\u0000`,
          `${UNKNOWN_MACHINE}\u0000`,
          'not-an-arn',
          '',
        ];
        const failures: string[] = [];
        for (let i = 0; i < 40; i++) {
          const arnInPath = r.below(4) === 0 ? r.oneOf(['%', '%ED%A0%80', '%00', '%FF', '..']) : enc(r.oneOf(arns));
          const url = `${path(arnInPath)}${r.oneOf(QUERIES)}`;
          const body = method === 'GET' || method === 'DELETE' ? undefined : randomBody(r, valid?.(the()));
          // GetActivityTask holds a request up to 60 s when there is no task: a held poll is an answer, not a hang.
          const held = AbortSignal.timeout(url.startsWith('/activities/') ? 1_000 : 10_000);
          const response = await api
            .request(method, url, body, {
              headers: { 'content-type': r.oneOf(['application/json', 'text/plain']) },
              signal: held,
            })
            .catch((e: unknown) => (held.aborted && url.startsWith('/activities/') ? undefined : Promise.reject(e)));
          if (response === undefined) continue;
          const sent =
            body === undefined ? '' : typeof body === 'string' ? body.slice(0, 120) : `<${body.length} bytes>`;
          if (response.status >= 500 && !(url.startsWith('/health') && response.status === 503)) {
            failures.push(`${method} ${url} ${sent} → ${response.status} ${response.text.slice(0, 200)}`);
          } else if (response.status >= 400 && typeof response.body?.__type !== 'string') {
            failures.push(
              `${method} ${url} ${sent} → ${response.status} without __type: ${response.text.slice(0, 200)}`,
            );
          }
        }
        expect(failures).toEqual([]);
      },
    );
  });
});
