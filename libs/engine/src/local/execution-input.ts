import { type JsonValue, PAYLOAD_LIMIT_BYTES, utf8ByteLength } from '@lib/asl';
import { ExecutionStartError } from './execution-start.error';

/** Parses StartExecution's input as AWS does: JSON text of at most 256 KiB, `{}` when absent. */
export function parseExecutionInput(text: string | undefined): JsonValue {
  if (text === undefined) return {};
  if (utf8ByteLength(text) > PAYLOAD_LIMIT_BYTES) {
    throw new ExecutionStartError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: 'The input is ${utf8ByteLength(text)} bytes; the limit is ${PAYLOAD_LIMIT_BYTES} bytes (256 KiB).'`,
    );
  }
  if (text.trim() === '') throw new ExecutionStartError('InvalidExecutionInput', "Invalid State Machine Execution Input: 'Invalid execution input.'");
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new ExecutionStartError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(e as Error).message}'`);
  }
}
