import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DeleteActivityCommand,
  DeleteStateMachineCommand,
  DescribeActivityCommand,
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeMapRunCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListActivitiesCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import type { JsonValue } from '@lib/asl';
import type { ExecutionStore, TaskHandlers, WorkQueue } from '@lib/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestApp, enc, startApiTestApp } from '../testing/api-test-app';

/**
 * The engine as a Step Functions Local user meets it: a suite written against the real `@aws-sdk/client-sfn`, the
 * way such a suite is written for Step Functions Local — an `SFNClient` pointed at the endpoint with any
 * credentials, state machines created and executions run through the SDK, errors told apart by their `name`. The
 * only lines that know they are not talking to AWS are the set-up and the checks against the engine's REST API.
 */

/** Opens the execution store and the work queue the app under test runs on, and disposes of them afterwards. */
export interface SfnClientBackend {
  readonly name: string;
  open(): Promise<{ store: ExecutionStore; queue: WorkQueue; dispose(): Promise<void> }>;
}

const EXAMPLE = join(__dirname, '../../../../asl-examples/banking-account-opening');
const BANKING_DEFINITION = readFileSync(join(EXAMPLE, 'definition.asl.json'), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bankingHandlers = require(join(EXAMPLE, 'handlers.js')) as TaskHandlers;
const bankingInput = (scenario: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(EXAMPLE, 'inputs', `${scenario}.json`), 'utf8')) as Record<string, unknown>;

const ROLE_ARN = 'arn:aws:iam::123456789012:role/StepFunctionsRole';
const UNKNOWN_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:NoSuchMachine';
const UNKNOWN_EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:NoSuchMachine:nope';

/** A Task that waits for SendTaskSuccess, failing after `timeoutSeconds`. */
const awaitsCallback = (timeoutSeconds: number) =>
  JSON.stringify({
    StartAt: 'Ask',
    States: {
      Ask: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: 'CaptureToken', Payload: { 'ticket.$': '$.ticket', 'token.$': '$$.Task.Token' } },
        TimeoutSeconds: timeoutSeconds,
        End: true,
      },
    },
  });

const WAITS_AN_HOUR = JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });

/** Short enough to run synchronously: a Task, then Succeed or Fail by the input. */
const SHOUT = JSON.stringify({
  StartAt: 'Shout',
  States: {
    Shout: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Shout',
      ResultPath: '$.shouted',
      Next: 'Anything?',
    },
    'Anything?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.shouted', StringEquals: '', Next: 'Nothing' }],
      Default: 'Done',
    },
    Done: { Type: 'Succeed' },
    Nothing: { Type: 'Fail', Error: 'NothingToShout', Cause: 'The text was empty' },
  },
});

/** Runs the suite against the app on one backend. */
export function describeSfnClientSuite(backend: SfnClientBackend): void {
  describe(`The Step Functions API through @aws-sdk/client-sfn, on ${backend.name}`, () => {
    let app: ApiTestApp;
    let dispose: () => Promise<void> = async () => undefined;
    let sfn: SFNClient;
    let syncSfn: SFNClient;
    /** Tokens the handlers were given, by the ticket or application id in their payload. */
    const tokens = new Map<string, string>();

    beforeAll(async () => {
      const opened = await backend.open();
      dispose = opened.dispose;
      app = await startApiTestApp({
        store: opened.store,
        queue: opened.queue,
        taskHandlers: {
          ...bankingHandlers,
          // A reviewer's inbox: the review is answered later, by SendTaskSuccess.
          RequestManualReview: (payload: JsonValue, context) => {
            const { application, taskToken } = payload as { application: { applicationId: string }; taskToken: string };
            tokens.set(application.applicationId, taskToken);
            return bankingHandlers['RequestManualReview']?.(payload, context);
          },
          CaptureToken: (payload: JsonValue) => {
            const { ticket, token } = payload as { ticket: string; token: string };
            tokens.set(ticket, token);
            return null;
          },
          Shout: (payload: JsonValue) => String((payload as { text?: unknown }).text ?? '').toUpperCase(),
        },
        activityPoll: { timeoutMs: 1_000, intervalMs: 20 },
      });
      sfn = new SFNClient({
        endpoint: app.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      });
      // The SDK sends StartSyncExecution to a `sync-` prefixed host; against a local endpoint that prefix is turned off.
      syncSfn = new SFNClient({
        endpoint: app.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
        disableHostPrefix: true,
      });
    });
    afterAll(async () => {
      sfn?.destroy();
      syncSfn?.destroy();
      await app?.close();
      await dispose();
    });

    const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

    const createMachine = async (definition: string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD') =>
      (await sfn.send(new CreateStateMachineCommand({ name: unique('machine'), definition, roleArn: ROLE_ARN, type })))
        .stateMachineArn as string;

    const finished = async (executionArn: string, timeoutMs = 15_000): Promise<DescribeExecutionCommandOutput> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (execution.status !== 'RUNNING') return execution;
        if (Date.now() > deadline) throw new Error(`${executionArn} is still RUNNING after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    const tokenFor = async (key: string, timeoutMs = 10_000): Promise<string> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const token = tokens.get(key);
        if (token !== undefined) return token;
        if (Date.now() > deadline) throw new Error(`No task token for ${key} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    /** Every event of an execution, page by page. */
    const historyOf = async (
      executionArn: string,
      options: { maxResults?: number; reverseOrder?: boolean; includeExecutionData?: boolean } = {},
    ): Promise<{ events: HistoryEvent[]; pages: number }> => {
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, ...options, nextToken }));
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
        pages++;
      } while (nextToken !== undefined);
      return { events, pages };
    };

    /** The SDK's events as JSON, timestamps as ISO-8601: the REST API's form of the same events. */
    const asRestEvents = (events: readonly HistoryEvent[]): unknown =>
      JSON.parse(JSON.stringify(events.map((event) => ({ ...event, timestamp: event.timestamp?.toISOString() }))));

    /** What the SDK throws, or a failure when it throws nothing. */
    const refusal = async (call: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> => {
      const outcome = await call.then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      if (outcome === undefined) throw new Error('Expected the call to be refused');
      return outcome;
    };

    describe('the banking example', () => {
      let bankingArn: string;

      beforeAll(async () => {
        const created = await sfn.send(
          new CreateStateMachineCommand({
            name: 'banking-account-opening',
            definition: BANKING_DEFINITION,
            roleArn: ROLE_ARN,
            tags: [{ key: 'team', value: 'onboarding' }],
          }),
        );
        bankingArn = created.stateMachineArn as string;
        expect(created.creationDate).toBeInstanceOf(Date);
      });

      it('creates the state machine and describes it as Step Functions does', async () => {
        const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: bankingArn }));
        expect(described).toMatchObject({
          stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:banking-account-opening',
          name: 'banking-account-opening',
          status: 'ACTIVE',
          type: 'STANDARD',
          roleArn: ROLE_ARN,
          definition: BANKING_DEFINITION,
          loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        });
        expect(described.creationDate).toBeInstanceOf(Date);
        expect(Math.abs((described.creationDate as Date).getTime() - Date.now())).toBeLessThan(60_000);
        const listed = await sfn.send(new ListStateMachinesCommand({}));
        expect(listed.stateMachines?.map((m) => m.name)).toContain('banking-account-opening');
      });

      it('runs applications to their end, and pages through ListExecutions by status', async () => {
        const scenarios = { approved: 'SUCCEEDED', denied: 'SUCCEEDED' } as const;
        const started: Record<string, string> = {};
        for (const [scenario, copies] of [
          ['approved', 3],
          ['denied', 2],
        ] as const) {
          for (let i = 0; i < copies; i++) {
            const { executionArn, startDate } = await sfn.send(
              new StartExecutionCommand({
                stateMachineArn: bankingArn,
                name: unique(scenario),
                input: JSON.stringify(bankingInput(scenario)),
              }),
            );
            expect(startDate).toBeInstanceOf(Date);
            started[executionArn as string] = scenario;
          }
        }
        for (const [executionArn, scenario] of Object.entries(started)) {
          const execution = await finished(executionArn);
          expect(execution.status).toBe(scenarios[scenario as keyof typeof scenarios]);
          expect(execution.stopDate?.getTime()).toBeGreaterThanOrEqual(execution.startDate?.getTime() ?? 0);
          const output = JSON.parse(execution.output ?? 'null') as Record<string, unknown>;
          expect(output['notification']).toMatchObject({
            template: scenario === 'approved' ? 'WELCOME' : 'APPLICATION_DENIED',
          });
        }

        const listed: string[] = [];
        let nextToken: string | undefined;
        let pages = 0;
        do {
          const page = await sfn.send(
            new ListExecutionsCommand({
              stateMachineArn: bankingArn,
              statusFilter: 'SUCCEEDED',
              maxResults: 2,
              nextToken,
            }),
          );
          expect(page.executions?.length).toBeLessThanOrEqual(2);
          for (const execution of page.executions ?? []) {
            expect(execution).toMatchObject({ stateMachineArn: bankingArn, status: 'SUCCEEDED' });
            expect(execution.startDate).toBeInstanceOf(Date);
            listed.push(execution.executionArn as string);
          }
          nextToken = page.nextToken;
          pages++;
        } while (nextToken !== undefined);
        expect(pages).toBeGreaterThanOrEqual(3);
        expect(listed).toEqual(expect.arrayContaining(Object.keys(started)));
        expect(new Set(listed).size).toBe(listed.length);
        const failed = await sfn.send(
          new ListExecutionsCommand({ stateMachineArn: bankingArn, statusFilter: 'FAILED' }),
        );
        expect(failed.executions?.filter((e) => started[e.executionArn as string] !== undefined)).toEqual([]);
      });

      it('pages through GetExecutionHistory, forwards, backwards and without data, as the REST API serves it', async () => {
        const { executionArn } = await sfn.send(
          new StartExecutionCommand({ stateMachineArn: bankingArn, input: JSON.stringify(bankingInput('approved')) }),
        );
        await finished(executionArn as string);

        const forwards = await historyOf(executionArn as string, { maxResults: 7 });
        expect(forwards.pages).toBeGreaterThan(4);
        expect(forwards.events.map((e) => e.id)).toEqual(forwards.events.map((_, i) => i + 1));
        expect(forwards.events[0]).toMatchObject({
          type: 'ExecutionStarted',
          previousEventId: 0,
          executionStartedEventDetails: { roleArn: ROLE_ARN, inputDetails: { truncated: false } },
        });
        expect(forwards.events.at(-1)?.type).toBe('ExecutionSucceeded');
        for (const event of forwards.events) expect(event.timestamp).toBeInstanceOf(Date);

        const rest = await app.request('GET', `/executions/${enc(executionArn as string)}/history?maxResults=1000`);
        expect(rest.status).toBe(200);
        expect(asRestEvents(forwards.events)).toEqual(rest.body.events);

        const backwards = await historyOf(executionArn as string, { maxResults: 10, reverseOrder: true });
        expect(backwards.events).toEqual([...forwards.events].reverse());

        const lean = await historyOf(executionArn as string, { includeExecutionData: false });
        expect(lean.events.map((e) => e.type)).toEqual(forwards.events.map((e) => e.type));
        const leanText = JSON.stringify(lean.events);
        expect(leanText).not.toMatch(/"(input|output|parameters)"/);
        expect(lean.events[0]?.executionStartedEventDetails).toEqual({ roleArn: ROLE_ARN });
        expect(lean.events.find((e) => e.type === 'TaskStateEntered')?.stateEnteredEventDetails).toEqual({
          name: 'Check Identity',
        });
      });

      it('completes a manual review with SendTaskSuccess, and stops another one waiting', async () => {
        // Without a simulated reviewer, the review waits for a person: this test.
        const { simulatedReviewer: _reviewer, ...review } = bankingInput('review');
        const application = { ...review, applicationId: unique('APP') };
        const { executionArn } = await sfn.send(
          new StartExecutionCommand({ stateMachineArn: bankingArn, input: JSON.stringify(application) }),
        );
        const taskToken = await tokenFor(application.applicationId);
        expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');

        await sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
        await sfn.send(
          new SendTaskSuccessCommand({
            taskToken,
            output: JSON.stringify({ approved: true, reviewer: 'j.smith', notes: 'documents checked' }),
          }),
        );
        const done = await finished(executionArn as string);
        expect(done.status).toBe('SUCCEEDED');
        expect(JSON.parse(done.output ?? '{}')).toMatchObject({
          review: { approved: true, reviewer: 'j.smith' },
          openedAccount: { currency: 'EUR' },
        });
        const { events } = await historyOf(executionArn as string);
        expect(events.map((e) => e.type)).toContain('TaskSucceeded');
        const rest = await app.request('GET', `/executions/${enc(executionArn as string)}/history?maxResults=1000`);
        expect(asRestEvents(events)).toEqual(rest.body.events);

        const waiting = { ...application, applicationId: unique('APP') };
        const stoppable = await sfn.send(
          new StartExecutionCommand({ stateMachineArn: bankingArn, input: JSON.stringify(waiting) }),
        );
        await tokenFor(waiting.applicationId);
        const { stopDate } = await sfn.send(
          new StopExecutionCommand({
            executionArn: stoppable.executionArn,
            error: 'Withdrawn',
            cause: 'The applicant withdrew',
          }),
        );
        expect(stopDate).toBeInstanceOf(Date);
        expect(await sfn.send(new DescribeExecutionCommand({ executionArn: stoppable.executionArn }))).toMatchObject({
          status: 'ABORTED',
          error: 'Withdrawn',
          cause: 'The applicant withdrew',
        });
        const stopped = await historyOf(stoppable.executionArn as string);
        expect(stopped.events.at(-1)).toMatchObject({
          type: 'ExecutionAborted',
          executionAbortedEventDetails: { error: 'Withdrawn', cause: 'The applicant withdrew' },
        });
      });

      it('describes the state machine an execution runs, after an update', async () => {
        const machineArn = await createMachine(WAITS_AN_HOUR);
        const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn }));
        const before = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn }));
        const updated = await sfn.send(
          new UpdateStateMachineCommand({
            stateMachineArn: machineArn,
            definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
          }),
        );
        expect(updated.updateDate).toBeInstanceOf(Date);
        expect(updated.revisionId).not.toBe(before.revisionId);
        expect(await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }))).toMatchObject({
          stateMachineArn: machineArn,
          definition: WAITS_AN_HOUR,
          roleArn: ROLE_ARN,
          revisionId: before.revisionId,
        });
        await sfn.send(new StopExecutionCommand({ executionArn }));
        await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: machineArn }));
        // Deleting again succeeds, as in Step Functions.
        await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: machineArn }));
        expect((await refusal(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn })))).name).toBe(
          'StateMachineDoesNotExist',
        );
      });

      it('tags and untags state machines and activities', async () => {
        expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn: bankingArn }))).tags).toEqual([
          { key: 'team', value: 'onboarding' },
        ]);
        await sfn.send(
          new TagResourceCommand({
            resourceArn: bankingArn,
            tags: [
              { key: 'cost-centre', value: 'retail' },
              { key: 'team', value: 'risk' },
            ],
          }),
        );
        await sfn.send(new UntagResourceCommand({ resourceArn: bankingArn, tagKeys: ['cost-centre', 'absent'] }));
        expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn: bankingArn }))).tags).toEqual([
          { key: 'team', value: 'risk' },
        ]);

        const { activityArn } = await sfn.send(
          new CreateActivityCommand({ name: unique('tagged'), tags: [{ key: 'queue', value: 'manual' }] }),
        );
        expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn: activityArn }))).tags).toEqual([
          { key: 'queue', value: 'manual' },
        ]);
      });
    });

    it('runs an activity worker loop with GetActivityTask and SendTaskSuccess / SendTaskFailure', async () => {
      const name = unique('score');
      const { activityArn, creationDate } = await sfn.send(new CreateActivityCommand({ name }));
      expect(creationDate).toBeInstanceOf(Date);
      expect(await sfn.send(new DescribeActivityCommand({ activityArn }))).toMatchObject({ activityArn, name });
      expect((await sfn.send(new ListActivitiesCommand({}))).activities?.map((a) => a.activityArn)).toContain(
        activityArn,
      );
      // Nothing scheduled: the long poll ends with an empty answer.
      expect(
        (await sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'idle' }))).taskToken,
      ).toBeUndefined();

      const machineArn = await createMachine(
        JSON.stringify({
          StartAt: 'Score',
          States: {
            Score: { Type: 'Task', Resource: activityArn, ResultPath: '$.score', Next: 'Rescore' },
            Rescore: { Type: 'Task', Resource: activityArn, ResultPath: '$.rescore', End: true },
          },
        }),
      );
      const executions = await Promise.all(
        [10, 20, -1].map(async (points) => {
          const started = await sfn.send(
            new StartExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify({ points }) }),
          );
          return started.executionArn as string;
        }),
      );

      // The worker: takes tasks until every execution has finished, answering each from its input.
      let handled = 0;
      for (let polls = 0; polls < 50 && handled < 5; polls++) {
        const task = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'worker-1' }));
        if (task.taskToken === undefined) continue;
        const { points } = JSON.parse(task.input ?? '{}') as { points: number };
        if (points < 0) {
          await sfn.send(
            new SendTaskFailureCommand({ taskToken: task.taskToken, error: 'NegativeScore', cause: `${points}` }),
          );
        } else {
          await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: JSON.stringify(points * 2) }));
        }
        handled++;
      }
      const outcomes = await Promise.all(executions.map((arn) => finished(arn)));
      expect(outcomes.map((o) => o.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'FAILED']);
      expect(JSON.parse(outcomes[0]?.output ?? '{}')).toEqual({ points: 10, score: 20, rescore: 20 });
      expect(outcomes[2]).toMatchObject({ error: 'NegativeScore', cause: '-1' });
      const { events } = await historyOf(executions[0] as string);
      expect(events.filter((e) => e.type === 'ActivityStarted').map((e) => e.activityStartedEventDetails)).toEqual([
        { workerName: 'worker-1' },
        { workerName: 'worker-1' },
      ]);

      await sfn.send(new DeleteActivityCommand({ activityArn }));
      expect((await refusal(sfn.send(new DescribeActivityCommand({ activityArn })))).name).toBe('ActivityDoesNotExist');
    });

    it('runs a short Express machine with StartSyncExecution (disableHostPrefix) and answers its outcome', async () => {
      const machineArn = await createMachine(SHOUT, 'EXPRESS');
      const succeeded = await syncSfn.send(
        new StartSyncExecutionCommand({
          stateMachineArn: machineArn,
          name: 'shout-once',
          input: JSON.stringify({ text: 'hello' }),
        }),
      );
      expect(succeeded).toMatchObject({
        stateMachineArn: machineArn,
        name: 'shout-once',
        status: 'SUCCEEDED',
        input: '{"text":"hello"}',
        output: '{"text":"hello","shouted":"HELLO"}',
      });
      expect(succeeded.executionArn).toMatch(/:express:/);
      expect(succeeded.stopDate?.getTime()).toBeGreaterThanOrEqual(succeeded.startDate?.getTime() ?? 0);

      const failed = await syncSfn.send(
        new StartSyncExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify({ text: '' }) }),
      );
      expect(failed).toMatchObject({ status: 'FAILED', error: 'NothingToShout', cause: 'The text was empty' });
      expect(failed.output).toBeUndefined();
    });

    it('validates a definition without creating anything', async () => {
      expect(await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: SHOUT }))).toMatchObject({
        result: 'OK',
        diagnostics: [],
        truncated: false,
      });
      const invalid = await sfn.send(
        new ValidateStateMachineDefinitionCommand({
          definition: JSON.stringify({ StartAt: 'Nowhere', States: { A: { Type: 'Pass', Next: 'Gone' } } }),
          maxResults: 1,
        }),
      );
      expect(invalid).toMatchObject({ result: 'FAIL', truncated: true });
      expect(invalid.diagnostics).toEqual([
        { severity: 'ERROR', code: expect.any(String), message: expect.any(String), location: expect.any(String) },
      ]);
    });

    describe('refusals, each by the name the SDK throws', () => {
      let waitingArn: string;
      let callbackArn: string;

      beforeAll(async () => {
        waitingArn = await createMachine(WAITS_AN_HOUR);
        callbackArn = await createMachine(awaitsCallback(3600));
      });

      /** [the error's name, what provokes it, the call]. */
      const cases: [string, string, () => Promise<unknown>][] = [
        [
          'StateMachineDoesNotExist',
          'DescribeStateMachine of an unknown ARN',
          () => sfn.send(new DescribeStateMachineCommand({ stateMachineArn: UNKNOWN_MACHINE })),
        ],
        [
          'StateMachineDoesNotExist',
          'StartExecution of an unknown state machine',
          () => sfn.send(new StartExecutionCommand({ stateMachineArn: UNKNOWN_MACHINE })),
        ],
        [
          'ExecutionDoesNotExist',
          'DescribeExecution of an unknown ARN',
          () => sfn.send(new DescribeExecutionCommand({ executionArn: UNKNOWN_EXECUTION })),
        ],
        [
          'ExecutionDoesNotExist',
          'GetExecutionHistory of an unknown ARN',
          () => sfn.send(new GetExecutionHistoryCommand({ executionArn: UNKNOWN_EXECUTION })),
        ],
        [
          'ExecutionAlreadyExists',
          'StartExecution of a name again with another input',
          async () => {
            await sfn.send(new StartExecutionCommand({ stateMachineArn: waitingArn, name: 'once', input: '{"a":1}' }));
            return sfn.send(new StartExecutionCommand({ stateMachineArn: waitingArn, name: 'once', input: '{"a":2}' }));
          },
        ],
        [
          'StateMachineAlreadyExists',
          'CreateStateMachine of a name in use, with another definition',
          () =>
            sfn.send(
              new CreateStateMachineCommand({
                name: waitingArn.split(':').at(-1),
                definition: SHOUT,
                roleArn: ROLE_ARN,
              }),
            ),
        ],
        [
          'InvalidDefinition',
          'CreateStateMachine whose StartAt names no state',
          () =>
            sfn.send(
              new CreateStateMachineCommand({
                name: unique('broken'),
                definition: '{"StartAt":"X","States":{}}',
                roleArn: ROLE_ARN,
              }),
            ),
        ],
        [
          'InvalidDefinition',
          'CreateStateMachine of a definition that is not JSON',
          () =>
            sfn.send(
              new CreateStateMachineCommand({ name: unique('text'), definition: 'not json', roleArn: ROLE_ARN }),
            ),
        ],
        [
          'InvalidName',
          'CreateStateMachine of a name with spaces',
          () => sfn.send(new CreateStateMachineCommand({ name: 'has spaces', definition: SHOUT, roleArn: ROLE_ARN })),
        ],
        [
          'InvalidName',
          'StartExecution of an 81-character name',
          () => sfn.send(new StartExecutionCommand({ stateMachineArn: waitingArn, name: 'x'.repeat(81) })),
        ],
        [
          'InvalidArn',
          'DescribeExecution of something that is no ARN',
          () => sfn.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' })),
        ],
        [
          'InvalidArn',
          'DescribeStateMachine of an execution ARN',
          () => sfn.send(new DescribeStateMachineCommand({ stateMachineArn: UNKNOWN_EXECUTION })),
        ],
        [
          'InvalidArn',
          'ListTagsForResource of an execution ARN',
          () => sfn.send(new ListTagsForResourceCommand({ resourceArn: UNKNOWN_EXECUTION })),
        ],
        [
          'InvalidExecutionInput',
          'StartExecution of an input that is not JSON',
          () => sfn.send(new StartExecutionCommand({ stateMachineArn: waitingArn, input: '{oops' })),
        ],
        [
          'InvalidOutput',
          'SendTaskSuccess of an output that is not JSON',
          () => sfn.send(new SendTaskSuccessCommand({ taskToken: randomUUID(), output: 'not json' })),
        ],
        [
          'InvalidToken',
          'SendTaskSuccess of a 2048-character token',
          () => sfn.send(new SendTaskSuccessCommand({ taskToken: 'x'.repeat(2048), output: '{}' })),
        ],
        [
          'TaskDoesNotExist',
          'SendTaskSuccess of a token never issued',
          () => sfn.send(new SendTaskSuccessCommand({ taskToken: randomUUID(), output: '{}' })),
        ],
        [
          'TaskDoesNotExist',
          'SendTaskHeartbeat of a token never issued',
          () => sfn.send(new SendTaskHeartbeatCommand({ taskToken: randomUUID() })),
        ],
        [
          'TaskDoesNotExist',
          'SendTaskFailure of a token already answered',
          async () => {
            const ticket = unique('answered');
            const { executionArn } = await sfn.send(
              new StartExecutionCommand({ stateMachineArn: callbackArn, input: JSON.stringify({ ticket }) }),
            );
            const taskToken = await tokenFor(ticket);
            await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }));
            await finished(executionArn as string);
            return sfn.send(new SendTaskFailureCommand({ taskToken, error: 'TooLate' }));
          },
        ],
        [
          'TaskTimedOut',
          'SendTaskSuccess of the token of a task that timed out',
          async () => {
            const ticket = unique('hasty');
            const hasty = await createMachine(awaitsCallback(1));
            const { executionArn } = await sfn.send(
              new StartExecutionCommand({ stateMachineArn: hasty, input: JSON.stringify({ ticket }) }),
            );
            const taskToken = await tokenFor(ticket);
            expect((await finished(executionArn as string)).error).toBe('States.Timeout');
            return sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }));
          },
        ],
        [
          'ValidationException',
          'ListExecutions of 5000 results a page',
          () => sfn.send(new ListExecutionsCommand({ stateMachineArn: waitingArn, maxResults: 5000 })),
        ],
        [
          'ValidationException',
          'CreateStateMachine of an unknown type',
          () =>
            sfn.send(
              new CreateStateMachineCommand({
                name: unique('typed'),
                definition: SHOUT,
                roleArn: ROLE_ARN,
                type: 'NEITHER' as 'STANDARD',
              }),
            ),
        ],
        [
          'ActivityDoesNotExist',
          'GetActivityTask of an unknown activity',
          () =>
            sfn.send(
              new GetActivityTaskCommand({ activityArn: 'arn:aws:states:us-east-1:123456789012:activity:none' }),
            ),
        ],
        [
          'StateMachineTypeNotSupported',
          'StartSyncExecution of a Standard state machine',
          () => syncSfn.send(new StartSyncExecutionCommand({ stateMachineArn: waitingArn })),
        ],
        [
          'ResourceNotFound',
          'ListTagsForResource of an unknown state machine',
          () => sfn.send(new ListTagsForResourceCommand({ resourceArn: UNKNOWN_MACHINE })),
        ],
        [
          'TooManyTags',
          'TagResource of 51 tags',
          () =>
            sfn.send(
              new TagResourceCommand({
                resourceArn: waitingArn,
                tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })),
              }),
            ),
        ],
        [
          'UnknownOperationException',
          'DescribeMapRun, which this engine does not answer',
          () =>
            sfn.send(new DescribeMapRunCommand({ mapRunArn: 'arn:aws:states:us-east-1:123456789012:mapRun:m/r:1' })),
        ],
      ];

      for (const [name, what, call] of cases) {
        it(`throws ${name}: ${what}`, async () => {
          const error = await refusal(call());
          expect(error.name).toBe(name);
          expect(error.message).not.toBe('');
          expect(error.$metadata?.httpStatusCode).toBe(400);
        });
      }

      it('names the operation it does not know', async () => {
        const error = await refusal(
          sfn.send(new DescribeMapRunCommand({ mapRunArn: 'arn:aws:states:us-east-1:123456789012:mapRun:m/r:1' })),
        );
        expect(error.message).toContain('AWSStepFunctions.DescribeMapRun');
      });
    });
  });

  describe(`API_TOKEN through @aws-sdk/client-sfn, on ${backend.name}`, () => {
    const API_TOKEN = 'local-secret-token';
    let app: ApiTestApp;
    let dispose: () => Promise<void> = async () => undefined;
    const clientWith = (accessKeyId: string) =>
      new SFNClient({ endpoint: app.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'any' } });

    beforeAll(async () => {
      const opened = await backend.open();
      dispose = opened.dispose;
      app = await startApiTestApp({ store: opened.store, queue: opened.queue, env: { API_TOKEN } });
    });
    afterAll(async () => {
      await app?.close();
      await dispose();
    });

    it('accepts the token as the access key id, with any secret key, and refuses any other', async () => {
      const allowed = clientWith(API_TOKEN);
      const refused = clientWith('AKIAIOSFODNN7EXAMPLE');
      try {
        expect((await allowed.send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
        const error = await refused.send(new ListStateMachinesCommand({})).then(
          () => undefined,
          (e: unknown) => e as Error & { $metadata: { httpStatusCode: number } },
        );
        expect(error?.name).toBe('UnrecognizedClientException');
        expect(error?.$metadata.httpStatusCode).toBe(400);
      } finally {
        allowed.destroy();
        refused.destroy();
      }
      // The REST API keeps its bearer token.
      expect((await app.request('GET', '/state-machines')).status).toBe(401);
      expect(
        (await app.request('GET', '/state-machines', undefined, { authorization: `Bearer ${API_TOKEN}` })).status,
      ).toBe(200);
    });
  });
}
