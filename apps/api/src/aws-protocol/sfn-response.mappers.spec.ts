import type { HistoryEvent } from '@lib/asl';
import type { ExecutionRecord } from '@lib/engine';
import { describe, expect, it } from 'vitest';
import { sfnActionOf } from './sfn-action.enum';
import { epochSeconds, historyEvent, syncExecutionResult } from './sfn-response.mappers';

const stored = (event: HistoryEvent) => ({ event, previousHash: '', hash: 'h' });

describe(historyEvent.name, () => {
  const scheduled = {
    id: 5,
    previousEventId: 4,
    timestamp: '2026-11-26T10:00:00.123Z',
    type: 'TaskScheduled',
    taskScheduledEventDetails: {
      resourceType: 'lambda',
      resource: 'invoke',
      region: 'us-east-1',
      parameters: '{"FunctionName":"f","Payload":{"secret":1}}',
      timeoutInSeconds: 30,
    },
  } as HistoryEvent;

  it('keeps the event and turns its timestamp into epoch seconds with milliseconds', () => {
    expect(historyEvent(stored(scheduled), true)).toEqual({ ...scheduled, timestamp: 1795687200.123 });
  });

  it('leaves out the payloads without execution data, and nothing else', () => {
    expect(historyEvent(stored(scheduled), false)).toEqual({
      id: 5,
      previousEventId: 4,
      timestamp: 1795687200.123,
      type: 'TaskScheduled',
      taskScheduledEventDetails: {
        resourceType: 'lambda',
        resource: 'invoke',
        region: 'us-east-1',
        timeoutInSeconds: 30,
      },
    });
    const failed = {
      id: 9,
      previousEventId: 8,
      timestamp: '2026-11-26T10:00:01.000Z',
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'Boom', cause: 'why' },
    } as HistoryEvent;
    expect(historyEvent(stored(failed), false)).toEqual({ ...failed, timestamp: 1795687201 });
  });
});

describe(syncExecutionResult.name, () => {
  const execution: ExecutionRecord = {
    executionArn: 'arn:aws:states:us-east-1:123456789012:express:M:e',
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M',
    revisionId: 'r',
    name: 'e',
    status: 'ABORTED',
    input: '{}',
    output: null,
    error: null,
    cause: null,
    startDate: new Date(1_000),
    stopDate: new Date(2_500),
    lastEventId: 3,
  };

  it('reports an execution stopped while the call waited as FAILED, as a synchronous execution has no ABORTED', () => {
    expect(syncExecutionResult(execution)).toEqual({
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: 'e',
      startDate: 1,
      stopDate: 2.5,
      status: 'FAILED',
      error: 'States.Aborted',
      input: '{}',
      inputDetails: { included: true },
    });
  });
});

describe(epochSeconds.name, () => {
  it('reads dates and ISO-8601 text alike', () => {
    expect(epochSeconds(new Date('2026-11-26T10:00:00.5Z'))).toBe(1795687200.5);
    expect(epochSeconds('2026-11-26T10:00:00.5Z')).toBe(1795687200.5);
  });
});

describe(sfnActionOf.name, () => {
  it('reads the action of an AWSStepFunctions target, and no other', () => {
    expect(sfnActionOf('AWSStepFunctions.StartExecution')).toBe('StartExecution');
    expect(sfnActionOf('AWSStepFunctions.TestState')).toBeUndefined();
    expect(sfnActionOf('AWSStepFunctions.')).toBeUndefined();
    expect(sfnActionOf('AmazonSQS.StartExecution')).toBeUndefined();
    expect(sfnActionOf('AWSStepFunctions.constructor')).toBeUndefined();
    expect(sfnActionOf(undefined)).toBeUndefined();
  });
});
