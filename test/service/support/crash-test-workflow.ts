import { join } from 'node:path';
import { createHandlerInvoker, LocalRunner, type TaskHandlers } from '@lib/engine';
import { readdirSync } from 'node:fs';
import { chainProblems, comparableHistory } from './history-comparison';
import type { ServiceApi } from './service-api.client';

/** The crash suites' handlers (Sleep, Echo), which leave a marker file per invocation. */
export const CRASH_TEST_HANDLERS = join(__dirname, '../fixtures/crash-test-handlers.js');

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';

/**
 * Pass → Task → Wait → Task → Succeed: a task to kill a worker in (Sleep, as long as the input says), and a Wait
 * to kill it between steps in, when the only thing left of the execution outside Postgres is a delayed job.
 */
export const CRASH_TEST_DEFINITION = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: 'prepared', ResultPath: '$.prepared', Next: 'Work' },
    Work: { Type: 'Task', Resource: `${FN}Sleep`, ResultPath: '$.work', Next: 'Pause' },
    Pause: { Type: 'Wait', SecondsPath: '$.pauseSeconds', Next: 'Finish' },
    Finish: { Type: 'Task', Resource: `${FN}Echo`, ResultPath: '$.finish', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

export interface CrashTestInput {
  readonly sleepMs: number;
  readonly pauseSeconds: number;
}

/** The history an undisturbed run of the workflow records: what every execution must end with, crash or not. */
export async function referenceRun(input: CrashTestInput) {
  const handlers = ((await import(CRASH_TEST_HANDLERS)) as { default: TaskHandlers }).default;
  const result = await new LocalRunner({ taskInvoker: createHandlerInvoker(handlers), clock: 'virtual' }).start({
    definition: JSON.stringify(CRASH_TEST_DEFINITION),
    input: JSON.stringify(input),
  }).result;
  if (result.status !== 'SUCCEEDED') throw new Error(`the reference run ended ${result.status}`);
  return result;
}

/** Task invocations so far, as the handlers' marker files tell: `<execution>.<state>.<pid>.<n>`. */
export function taskInvocations(scratchDir: string): { execution: string; state: string; pid: number }[] {
  let files: string[];
  try {
    files = readdirSync(join(scratchDir, 'tasks'));
  } catch {
    return [];
  }
  return files.map((file) => {
    const [execution = '', state = '', pid = ''] = file.split('.');
    return { execution, state, pid: Number(pid) };
  });
}

/**
 * Everything wrong with the finished executions, as readable lines (none when all is well): each must have
 * SUCCEEDED, its history must run 1..n and equal the reference run's event for event (so no event is missing or
 * doubled), and its hash chain must verify.
 */
export async function historyProblems(
  api: ServiceApi,
  executionArns: readonly string[],
  reference: Awaited<ReturnType<typeof referenceRun>>,
): Promise<string[]> {
  const expected = JSON.stringify(comparableHistory(reference.history));
  const problems: string[] = [];
  for (const arn of executionArns) {
    const name = arn.split(':').at(-1);
    const execution = await api.describeExecution(arn);
    if (execution.status !== 'SUCCEEDED') problems.push(`${name}: ${execution.status} ${execution.cause ?? ''}`);
    const events = await api.history(arn, 100);
    problems.push(...chainProblems(events).map((problem) => `${name}: ${problem}`));
    if (JSON.stringify(comparableHistory(events)) !== expected) {
      problems.push(`${name}: history differs from the reference run: ${events.map((e) => e.type).join(', ')}`);
    }
    const verified = await api.verify(arn);
    if (!verified.valid || verified.eventCount !== events.length) {
      problems.push(`${name}: hash chain ${JSON.stringify(verified)}`);
    }
  }
  return problems;
}
