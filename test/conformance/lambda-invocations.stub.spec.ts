import type { JsonValue } from '@lib/asl';
import { describe, expect, it } from 'vitest';
import type { ExecutionCase, RecordedInvocation } from './conformance-case.types';
import { corpusAvailable, readExecutionCase } from './corpus.location';
import type { ConformanceTaskRequest } from './engine.ports';
import { sequentialUuids } from './execution-case.runner';
import { LambdaInvocationsStub } from './lambda-invocations.stub';
import { SnapshotNormalizer } from './snapshot.normalizer';

/** Stands in for the engine's TaskFailure. */
class FakeTaskFailure extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string | undefined,
  ) {
    super(error);
  }
}

function stubFor(testCase: ExecutionCase): LambdaInvocationsStub {
  return new LambdaInvocationsStub(testCase, {
    normalizer: new SnapshotNormalizer(testCase.normalization, testCase.context),
    taskFailure: (error, cause) => new FakeTaskFailure(error, cause),
    uuid: sequentialUuids(0x100),
  });
}

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:111111111111:function:fn_uid00001';

/** A made-up case whose Lambda answers depend on the input, as Map iterations' do. */
function mapLikeCase(invocations: RecordedInvocation[]): ExecutionCase {
  return {
    id: 'synthetic',
    source: 'test',
    category: 'scenarios',
    group: 'lambda',
    features: ['Map', 'Task'],
    definition: {},
    expected: { status: 'SUCCEEDED', output: null, error: null, cause: null, historyEventTypes: null },
    context: {
      stateMachineName: 'sm',
      executionName: 'exec0001',
      stateMachineType: 'STANDARD',
      startedVia: 'StartExecution',
      accountId: '111111111111',
      region: 'us-east-1',
      partition: 'aws',
      roleArn: 'arn:aws:iam::111111111111:role/sfn_role',
    },
    lambda: { functions: [], invocations },
    normalization: {
      substitutions: [{ kind: 'regex', regex: 'fn_uid00001', replacement: '<fn>' }],
      parallelEventsSorted: false,
    },
    provenance: {},
  };
}

const never = new AbortController().signal;
const call = (input: JsonValue, resource = FUNCTION_ARN, signal = never): ConformanceTaskRequest => ({
  resource,
  input,
  stateName: 'Task',
  signal,
});

describe(LambdaInvocationsStub.name, () => {
  it('answers calls that come in another order from the recording whose input fits', async () => {
    const resource = 'arn:<partition>:lambda:<region>:111111111111:function:<fn>';
    const sut = stubFor(
      mapLikeCase([
        { outcome: 'succeeded', resource, input: { item: 1 }, output: 'one' },
        { outcome: 'succeeded', resource, input: { item: 2 }, output: 'two' },
      ]),
    );

    await expect(sut.invoke(call({ item: 2 }))).resolves.toBe('two');
    await expect(sut.invoke(call({ item: 1 }))).resolves.toBe('one');
    expect(sut.notes).toEqual([]);
  });

  it('falls back to the next recording, notes it, and refuses calls beyond the recording', async () => {
    const sut = stubFor(mapLikeCase([{ outcome: 'succeeded', input: { item: 1 }, output: 'one' }]));

    await expect(sut.invoke(call({ item: 9 }))).resolves.toBe('one');
    await expect(sut.invoke(call({ item: 1 }))).rejects.toMatchObject({
      error: 'ConformanceRunner.UnrecordedInvocation',
    });
    expect(sut.notes).toHaveLength(2);
  });

  it('puts literal names back into recorded outputs', async () => {
    const sut = stubFor(
      mapLikeCase([
        { outcome: 'succeeded', output: { arn: 'arn:<partition>:lambda:<region>:1:function:<fn>', id: '<uuid:1>' } },
      ]),
    );

    await expect(sut.invoke(call({}))).resolves.toEqual({
      arn: 'arn:aws:lambda:us-east-1:1:function:fn_uid00001',
      id: '<uuid:1>',
    });
  });

  it('never settles a timed-out call until the engine aborts it', async () => {
    const sut = stubFor(mapLikeCase([{ outcome: 'timedOut', error: 'States.Timeout' }]));
    const controller = new AbortController();
    let settled = false;

    const pending = sut.invoke(call({}, FUNCTION_ARN, controller.signal)).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);

    controller.abort();
    await expect(pending).rejects.toThrow('aborted');
  });

  describe.skipIf(!corpusAvailable)('on corpus cases', () => {
    it('replays recorded failures in order, as retries see them (lambda/…lambda_invoke_with_retry_base)', async () => {
      const testCase = readExecutionCase('lambda/scenarios.base_scenarios.lambda_invoke_with_retry_base.json');
      const sut = stubFor(testCase);
      const request = call(
        { Value1: 'HelloWorld!', Value2: null },
        'arn:aws:lambda:us-east-1:111111111111:function:lambda_1_func_uid00001',
      );

      for (let attempt = 0; attempt < 4; attempt++) {
        await expect(sut.invoke(request)).rejects.toMatchObject({ error: 'Exception' });
      }
      expect(sut.notes).toEqual([]);
    });

    it('throws the cause as the text AWS recorded where the expected values quote it (lambda/…raise_exception_catch)', async () => {
      const testCase = readExecutionCase('lambda/error_handling.task_lambda.raise_exception_catch.json');
      const sut = stubFor(testCase);

      const failure = await sut
        .invoke(
          call(
            { FunctionName: 'lambda_func_uid00001', Payload: null },
            'arn:aws:lambda:us-east-1:111111111111:function:lambda_func_uid00001',
          ),
        )
        .catch((thrown: unknown) => thrown as FakeTaskFailure);

      expect(failure).toBeInstanceOf(FakeTaskFailure);
      expect((failure as FakeTaskFailure).cause).toBe(
        '{"errorMessage": "Some exception was raised.", "errorType": "Exception", "requestId": "<uuid:1>", "stackTrace": ["  File \\"/var/task/handler.py\\", line 2, in handler\\n    raise Exception(\\"Some exception was raised.\\")\\n"]}',
      );
    });

    it('returns the recorded lambda:invoke response (lambda/services.lambda_task_service.invoke_json_values__HelloWorld)', async () => {
      const testCase = readExecutionCase('lambda/services.lambda_task_service.invoke_json_values__HelloWorld.json');
      const sut = stubFor(testCase);

      // Parameters: FunctionName.$ and Payload.$ from the input, so the task input is the execution input.
      const output = await sut.invoke(call(testCase.input ?? null, 'arn:aws:states:::lambda:invoke'));

      expect(output).toMatchObject({ Payload: 'HelloWorld', StatusCode: 200 });
      expect(sut.notes).toEqual([]);
    });

    it('answers from the behaviour when nothing was recorded, in lambda:invoke error form (lambda/express.express_sync.catch)', async () => {
      const testCase = readExecutionCase('lambda/express.express_sync.catch.json');
      const sut = stubFor(testCase);

      const failure = (await sut
        .invoke(call({ FunctionName: 'lambda_func_uid00001', Payload: null }, 'arn:aws:states:::lambda:invoke'))
        .catch((thrown: unknown) => thrown)) as FakeTaskFailure;

      expect(failure.error).toBe('Exception');
      expect(JSON.parse(failure.cause ?? '')).toMatchObject({
        errorMessage: 'Some exception was raised.',
        errorType: 'Exception',
      });
      expect(failure.cause).toMatch(
        /^\{"errorMessage":"Some exception was raised\.","errorType":"Exception","requestId":"[0-9a-f-]+"/,
      );
    });
  });
});
