/**
 * Real histories for the model's specs: every one is recorded by the engine's LocalRunner running a definition
 * with local handlers, deterministic ids and (unless said otherwise) a virtual clock.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { HistoryEvent, JsonValue, StateMachineDefinition } from '@lib/asl';
import {
  createHandlerInvoker,
  deterministicPorts,
  type ExecutionResult,
  LocalRunner,
  type TaskHandler,
  type TaskHandlers,
} from '@lib/engine';

/** A Lambda function ARN for a local handler's name. */
export const lambda = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** A task that never answers: it is still running when a sibling fails or the execution stops. */
export const neverAnswers: TaskHandler = () => new Promise(() => undefined);

export async function runExecution(
  definition: StateMachineDefinition,
  input: JsonValue,
  handlers: TaskHandlers = {},
): Promise<ExecutionResult> {
  return new LocalRunner({
    taskInvoker: createHandlerInvoker(handlers),
    clock: 'virtual',
    ports: deterministicPorts(),
  }).start({ definition, input: JSON.stringify(input) }).result;
}

const banking = (file: string): string =>
  fileURLToPath(new URL(`../../../../asl-examples/banking-account-opening/${file}`, import.meta.url));

/** The banking example: a Parallel of checks, a Choice, a callback task for manual review, Retry and Catch. */
export const bankingDefinition = JSON.parse(
  readFileSync(banking('definition.asl.json'), 'utf8'),
) as StateMachineDefinition;

// The example's handlers are plain CommonJS, as `asl run --handlers` loads them.
const bankingHandlers = createRequire(import.meta.url)(banking('handlers.js')) as TaskHandlers;

export type BankingScenario = 'approved' | 'denied' | 'review' | 'transient-failure' | 'open-account-fails';

export function bankingInput(scenario: BankingScenario): Record<string, JsonValue> {
  return JSON.parse(readFileSync(banking(`inputs/${scenario}.json`), 'utf8')) as Record<string, JsonValue>;
}

/** One of the example's sample inputs, run through its handlers. */
export async function bankingExecution(scenario: BankingScenario): Promise<ExecutionResult> {
  return runExecution(bankingDefinition, bankingInput(scenario), bankingHandlers);
}

/**
 * The "review" application with no simulated reviewer: the execution waits at Manual Review for a SendTaskSuccess
 * that never comes. On a virtual clock time jumps to the execution's TimeoutSeconds: it times out.
 */
export async function bankingReviewTimedOut(): Promise<ExecutionResult> {
  const { simulatedReviewer: _reviewer, ...input } = bankingInput('review');
  return runExecution(bankingDefinition, input, bankingHandlers);
}

/**
 * The same application, stopped (StopExecution) once its review was requested. Its history before the stop is the
 * history of a RUNNING execution waiting at Manual Review: the stop only appended ExecutionAborted.
 */
export async function bankingReviewStopped(): Promise<{ running: HistoryEvent[]; stopped: ExecutionResult }> {
  const { simulatedReviewer: _reviewer, ...input } = bankingInput('review');
  let reviewRequested!: () => void;
  const requested = new Promise<void>((resolve) => (reviewRequested = resolve));
  const handlers: TaskHandlers = {
    ...bankingHandlers,
    RequestManualReview: (payload) => {
      reviewRequested();
      return { caseId: 'REVIEW-1', received: payload };
    },
  };
  // A real clock (frozen by the deterministic ports) so that no timer fires while the review waits.
  const execution = new LocalRunner({
    taskInvoker: createHandlerInvoker(handlers),
    clock: 'real',
    ports: deterministicPorts(),
  }).start({
    definition: bankingDefinition,
    input: JSON.stringify(input),
  });
  await requested;
  // Let the request's TaskSubmitted be recorded before stopping.
  await new Promise((resolve) => setTimeout(resolve, 10));
  execution.stop('Operator.Stop', 'Stopped while waiting for review');
  const stopped = await execution.result;
  const last = stopped.history.at(-1);
  if (last?.type !== 'ExecutionAborted')
    throw new Error(`The execution ended with ${last?.type}, not ExecutionAborted`);
  return { running: stopped.history.slice(0, -1), stopped };
}
