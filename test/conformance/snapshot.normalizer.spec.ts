import type { JsonObject, JsonValue } from '@lib/asl';
import { describe, expect, it } from 'vitest';
import { corpusAvailable, readExecutionCase } from './corpus.location';
import { compareSnapshots } from './snapshot.comparator';
import {
  compilePythonRegex,
  expandPythonReplacement,
  parseEmbeddedJson,
  SnapshotNormalizer,
} from './snapshot.normalizer';

const ROLE_ARN = 'arn:aws:iam::111111111111:role/sfn_role';

describe(SnapshotNormalizer.name, () => {
  describe('step 1: JSON text in string fields', () => {
    it('parses object text held by a field, but not what it parsed, nor arrays or other JSON text', () => {
      const sut = parseEmbeddedJson({
        output: '{"Error":"Exception","Cause":"{\\"errorMessage\\":\\"boom\\"}"}',
        list: '[1, 2]',
        quoted: '"text"',
        broken: '{not json',
        items: ['{"a":1}', { inner: '{"b":2}' }],
      });

      expect(sut).toEqual({
        output: { Error: 'Exception', Cause: '{"errorMessage":"boom"}' },
        list: '[1, 2]',
        quoted: '"text"',
        broken: '{not json',
        items: ['{"a":1}', { inner: { b: 2 } }],
      });
    });
  });

  describe('step 3: defaults', () => {
    const sut = new SnapshotNormalizer({ substitutions: [] });

    it('replaces region, partition, UUID ids (everywhere they occur) and ISO timestamps', () => {
      const uuid = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
      const normalized = sut.normalize({
        arn: 'arn:aws:states:us-east-1:111111111111:stateMachine:m',
        cause: JSON.stringify({ requestId: uuid, when: '2024-05-06T12:59:34.123Z' }),
        text: `request ${uuid} at 2024-05-06T12:59:34+00:00`,
      });

      expect(normalized).toEqual({
        arn: 'arn:<partition>:states:<region>:111111111111:stateMachine:m',
        cause: { requestId: '<uuid:1>', when: 'date' },
        text: 'request <uuid:1> at date',
      });
    });

    it('keeps strings that only look like timestamps: no zone, impossible dates, UUIDs under other keys', () => {
      const normalized = sut.normalize({
        noZone: '2016-12-05T21:29:29',
        badMonth: 'x 2016-13-05T21:29:29Z',
        feb30: '2016-02-30T00:00:00Z',
        token: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
      });

      expect(normalized).toEqual({
        noZone: '2016-12-05T21:29:29',
        badMonth: 'x 2016-13-05T21:29:29Z',
        feb30: '2016-02-30T00:00:00Z',
        token: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
      });
    });

    it('turns non-ISO values of timestamp keys into "timestamp" and ISO ones into "date"', () => {
      expect(
        sut.normalize({
          TimestampValue: '2016-13-05T21:29:29Z',
          timestamp: 1700000000,
          Timestamp: '2016-03-05T21:29:29.243167252Z',
        }),
      ).toEqual({
        TimestampValue: 'timestamp',
        timestamp: 'timestamp',
        Timestamp: 'date',
      });
    });
  });

  describe('step 2: substitutions', () => {
    it('applies Python regexes to the serialized text, leaving a backslash before a quote alone', () => {
      const sut = new SnapshotNormalizer({
        substitutions: [
          {
            kind: 'regex',
            regex: '\\\\"requestId\\\\":\\\\"([a-f0-9\\-]+)\\\\"',
            replacement: '\\"requestId\\":<request-id>\\"',
          },
        ],
      });

      // As in a result: the output is JSON text, so step 1 parses it and its Cause stays text.
      const normalized = sut.normalize({ output: JSON.stringify({ Cause: '{"requestId":"0a1b-2c","x":1}' }) });

      expect(normalized).toEqual({ output: { Cause: '{"requestId":<request-id>","x":1}' } });
    });

    it('replaces values found by a JSONPath, and their other occurrences when replaceReference is set', () => {
      const sut = new SnapshotNormalizer({
        substitutions: [
          { kind: 'jsonpath', jsonpath: '$..LogResult', replacement: 'LogResult', replaceReference: true },
          {
            kind: 'jsonpath',
            jsonpath: '$..FunctionResult',
            replacement: 'RandomNumberGenerated',
            replaceReference: false,
          },
        ],
      });

      const normalized = sut.normalize({
        a: { LogResult: 'abc123' },
        b: 'log abc123',
        c: { FunctionResult: 42 },
        d: 42,
      });

      expect(normalized).toEqual({
        a: { LogResult: 'LogResult' },
        b: 'log LogResult',
        c: { FunctionResult: 'RandomNumberGenerated' },
        d: 42,
      });
    });

    it('replaces the value of a key wherever it appears (key_value)', () => {
      const sut = new SnapshotNormalizer({
        substitutions: [{ kind: 'key_value', key: 'RoleArn', replacement: 'role-arn' }],
      });

      expect(sut.normalize({ x: { RoleArn: 'a' }, y: [{ RoleArn: 'b' }] })).toEqual({
        x: { RoleArn: 'role-arn' },
        y: [{ RoleArn: 'role-arn' }],
      });
    });

    it('translates Python-only regex syntax and replacement escapes', () => {
      const pattern = compilePythonRegex('(?P<id>ab)(?P=id)');
      expect(pattern && 'xabab'.replace(pattern, (...m) => expandPythonReplacement('[\\g<id>|\\1|$1|\\\\]', m))).toBe(
        'x[ab|ab|$1|\\]',
      );
    });
  });

  it('maps literal names back for recorded payloads, leaving unknown tokens', () => {
    const sut = new SnapshotNormalizer({
      substitutions: [
        { kind: 'regex', regex: 'lambda_func_uid00001', replacement: '<lambda_function_name>' },
        { kind: 'regex', regex: 'Request ID: [a-zA-Z0-9-]+', replacement: 'Request ID: <request_id>' },
      ],
    });

    const text = sut.denormalizeText(
      'arn:<partition>:lambda:<region>:111111111111:function:<lambda_function_name> <uuid:1> <request_id>',
    );

    expect(text).toBe('arn:aws:lambda:us-east-1:111111111111:function:lambda_func_uid00001 <uuid:1> <request_id>');
  });
});

describe.skipIf(!corpusAvailable)(`${SnapshotNormalizer.name} on corpus cases`, () => {
  /** An engine-shaped history event: details as JSON text, a real timestamp. */
  const event = (
    id: number,
    previousEventId: number,
    type: string,
    details?: Record<string, JsonValue>,
  ): JsonObject => ({
    id,
    previousEventId,
    timestamp: '2026-01-02T03:04:05.678Z',
    type,
    ...(details ?? {}),
  });

  it('brings a raw StopExecution history to the recorded form (api/sfn_api.stop_execution)', () => {
    const testCase = readExecutionCase('api/sfn_api.stop_execution.json');
    const sut = new SnapshotNormalizer(testCase.normalization);
    const raw = [
      event(1, 0, 'ExecutionStarted', {
        executionStartedEventDetails: { input: '{}', inputDetails: { truncated: false }, roleArn: ROLE_ARN },
      }),
      event(2, 0, 'WaitStateEntered', {
        stateEnteredEventDetails: { input: '{}', inputDetails: { truncated: false }, name: 'State_1' },
      }),
      event(3, 0, 'ExecutionAborted', { executionAbortedEventDetails: {} }),
    ];

    const normalized = (sut.normalize(raw) as JsonObject[]).map(({ timestamp, ...rest }) => {
      expect(timestamp).toBe('date');
      return rest;
    });

    expect(normalized).toEqual(testCase.expected.history);
  });

  it('matches an express execution ARN with its unknown id part (express/express_sync.query_runtime_memory)', () => {
    const testCase = readExecutionCase('express/express_sync.query_runtime_memory.json');
    const sut = new SnapshotNormalizer(testCase.normalization);
    const executionArn =
      'arn:aws:states:us-east-1:111111111111:express:express_statemachine_uid00001:exec0001:1f0e9d8c-7b6a-4f5e-9d4c-3b2a1f0e9d8c';
    const output = testCase.expected.output as JsonObject;
    const actual = JSON.parse(
      JSON.stringify(output)
        .split(
          'arn:<partition>:states:<region>:111111111111:express:<ArnPart_0idx>:<SyncExecArn_Part1_0idx>:<SyncExecArn_Part2_0idx>',
        )
        .join(executionArn)
        .split('<ArnPart_0idx>')
        .join('express_statemachine_uid00001')
        .split('<SyncExecArn_Part1_0idx>')
        .join('exec0001')
        .split('arn:<partition>:states:<region>:')
        .join('arn:aws:states:us-east-1:')
        .split('sfn_role_arn')
        .join(ROLE_ARN),
    ) as JsonValue;

    const mismatches = compareSnapshots(output, sut.normalize(actual));

    expect(mismatches).toEqual([]);
  });

  it('keeps an invalid timestamp in a cause but hides it under its key (scenarios/…wait_timestamp_path__INVALID_DATE)', () => {
    const testCase = readExecutionCase('scenarios/base_scenarios.wait_timestamp_path__INVALID_DATE.json');
    const sut = new SnapshotNormalizer(testCase.normalization);

    const normalized = sut.normalize({ input: JSON.stringify(testCase.input), cause: testCase.expected.cause });

    expect(normalized).toEqual({ input: { TimestampValue: 'timestamp' }, cause: testCase.expected.cause });
  });
});
