import type { JsonObject, JsonValue } from '@lib/asl';
import type { ExecutionCase } from './conformance-case.types';
import type { ConformanceExecutionResult, ConformanceHistoryEvent } from './engine.ports';
import { SnapshotNormalizer } from './snapshot.normalizer';

/**
 * What an engine that reproduced AWS exactly would return for a case: the expected values with the names put back
 * (`<ArnPart_0idx>` → the state machine's name, `<region>` → us-east-1 …), payloads as JSON text, and timestamps.
 * Tokens nobody can rebuild (`<uuid:1>`) stay, as a recorded Lambda answer would carry them.
 */
export function replayedResult(testCase: ExecutionCase): ConformanceExecutionResult {
  const normalizer = new SnapshotNormalizer(testCase.normalization, testCase.context);
  const restore = (value: JsonValue): JsonValue =>
    JSON.parse(normalizer.denormalizeText(JSON.stringify(value))) as JsonValue;
  const asText = (value: JsonValue): string => (typeof value === 'string' ? value : JSON.stringify(value));
  const expected = testCase.expected;
  const history = (expected.history ?? []).map((event): ConformanceHistoryEvent => {
    const restored = restore(event) as JsonObject;
    for (const [key, details] of Object.entries(restored)) {
      if (!key.endsWith('EventDetails') || details === null || typeof details !== 'object' || Array.isArray(details))
        continue;
      for (const field of ['input', 'output', 'cause', 'parameters']) {
        const value = details[field];
        if (value !== undefined && value !== null && typeof value === 'object') details[field] = JSON.stringify(value);
      }
      const assigned = details['assignedVariables'];
      if (assigned && typeof assigned === 'object' && !Array.isArray(assigned)) {
        for (const [name, value] of Object.entries(assigned)) {
          if (typeof value !== 'string') assigned[name] = JSON.stringify(value);
        }
      }
    }
    return { ...(restored as unknown as ConformanceHistoryEvent), timestamp: '2026-01-02T03:04:05.678Z' };
  });
  return {
    executionArn: 'arn:aws:states:us-east-1:111111111111:execution:m:e',
    status: expected.status,
    ...(expected.status === 'SUCCEEDED'
      ? { output: asText(restore(expected.output)) === 'null' ? 'null' : JSON.stringify(restore(expected.output)) }
      : {}),
    ...(expected.error ? { error: expected.error } : {}),
    ...(expected.cause !== null ? { cause: asText(restore(expected.cause)) } : {}),
    history,
  };
}
