import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { HistoryEvent } from '@lib/asl';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { main as asl } from '../../apps/cli/src/main';
import { chainProblems, comparableHistory } from './support/history-comparison';
import { type ExecutionDescription } from './support/service-api.client';
import { buildServiceBundles, eventually, REPO_ROOT, ServiceHarness } from './support/service-processes';

/**
 * The banking example through the real service: an API process and a worker process on Postgres and BullMQ,
 * driven over HTTP only. Every sample input must leave the history `asl run --json` records for the same input,
 * event for event; the manual review is answered with POST /tasks/success, as a person would answer it.
 */

const EXAMPLE = join(REPO_ROOT, 'asl-examples/banking-account-opening');
const DEFINITION_FILE = join(EXAMPLE, 'definition.asl.json');
const MACHINE_NAME = 'banking-account-opening';
const FIXTURES = join(__dirname, 'fixtures');
const DECISION: unknown = JSON.parse(readFileSync(join(FIXTURES, 'review-decision.json'), 'utf8'));

interface Scenario {
  readonly name: string;
  readonly input: string;
  /** The handlers `asl run` uses for the reference history. */
  readonly referenceHandlers: string;
  /** A person answers the manual review over the API. */
  readonly reviewedOverApi: boolean;
}

/** Every sample input; the review one without its simulatedReviewer, so that nothing answers it but the API. */
const SCENARIOS: readonly Scenario[] = ['approved', 'denied', 'review', 'transient-failure', 'open-account-fails'].map(
  (name) => {
    const input = JSON.parse(readFileSync(join(EXAMPLE, 'inputs', `${name}.json`), 'utf8')) as Record<string, unknown>;
    const reviewedOverApi = 'simulatedReviewer' in input;
    delete input['simulatedReviewer'];
    return {
      name,
      input: JSON.stringify(input),
      referenceHandlers: join(
        reviewedOverApi ? FIXTURES : EXAMPLE,
        reviewedOverApi ? 'banking-reviewer-handlers.js' : 'handlers.js',
      ),
      reviewedOverApi,
    };
  },
);

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

interface CliResult {
  readonly status: string;
  readonly output: unknown;
  readonly error: string | null;
  readonly cause: string | null;
  readonly history: HistoryEvent[];
}

/** `asl run --json --fast-wait` of a scenario: the reference the service's history must equal. */
async function aslRun(scenario: Scenario): Promise<CliResult> {
  const out = new Capture();
  const err = new Capture();
  await asl(
    [
      'run',
      DEFINITION_FILE,
      '--input',
      scenario.input,
      '--handlers',
      scenario.referenceHandlers,
      '--state-machine',
      MACHINE_NAME,
      '--name',
      scenario.name,
      '--fast-wait',
      '--json',
    ],
    out,
    err,
  );
  if (err.text !== '') throw new Error(`asl run ${scenario.name} printed: ${err.text}`);
  return JSON.parse(out.text) as CliResult;
}

describe('The banking example through the REST API on Postgres and BullMQ', () => {
  let service: ServiceHarness | undefined;
  let machineArn: string;

  beforeAll(async () => {
    await buildServiceBundles();
    service = await ServiceHarness.start({ handlersModule: join(FIXTURES, 'banking-service-handlers.js') });
    await service.startWorker();
    machineArn = await service.api.createStateMachine(MACHINE_NAME, readFileSync(DEFINITION_FILE, 'utf8'));
  }, 90_000);

  afterAll(async () => {
    await service?.dispose();
  }, 30_000);

  /** The review's token, as the worker's handler received it, once the handler has run. */
  async function reviewToken(scenario: Scenario): Promise<string> {
    const applicationId = (JSON.parse(scenario.input) as { applicationId: string }).applicationId;
    const file = join((service as ServiceHarness).scratchDir, `${applicationId}.token`);
    await eventually('RequestManualReview to receive its task token', async () => existsSync(file), Boolean, {
      timeoutMs: 20_000,
    });
    return readFileSync(file, 'utf8');
  }

  // The scenarios run side by side: the retry ones wait out their real back-off (2 + 4 + 8 s) on BullMQ's delays.
  it.concurrent.for(SCENARIOS)(
    'records for $name the history `asl run` records, event for event',
    { timeout: 60_000 },
    async (scenario, { expect }) => {
      const api = (service as ServiceHarness).api;
      const [reference, executionArn] = await Promise.all([
        aslRun(scenario),
        api.startExecution(machineArn, scenario.input, scenario.name),
      ]);

      if (scenario.reviewedOverApi) {
        const token = await reviewToken(scenario);
        // Nothing answers the review but the API: the execution waits for it.
        expect((await api.describeExecution(executionArn)).status).toBe('RUNNING');
        const answered = await api.request('POST', '/tasks/success', { taskToken: token, output: DECISION });
        expect(answered.status, answered.text).toBe(200);
        const again = await eventually(
          'the execution to finish',
          () => api.describeExecution(executionArn),
          (execution) => execution.status !== 'RUNNING',
          { timeoutMs: 20_000 },
        );
        expect(again.status).toBe('SUCCEEDED');
        // The task is settled: its token is no longer accepted, and the refusal is the client's (4xx).
        const late = await api.request('POST', '/tasks/success', { taskToken: token, output: DECISION });
        expect([late.status, late.body.__type]).toEqual([404, 'TaskDoesNotExist']);
      }

      const done: ExecutionDescription = await eventually(
        'the execution to finish',
        () => api.describeExecution(executionArn),
        (execution) => execution.status !== 'RUNNING',
        { timeoutMs: 40_000, intervalMs: 200 },
      );
      expect(done.status).toBe(reference.status);
      expect(done.output === undefined ? null : JSON.parse(done.output)).toEqual(reference.output);
      expect(done.error ?? null).toBe(reference.error);
      expect(done.cause ?? null).toBe(reference.cause);

      const events = await api.history(executionArn);
      expect(chainProblems(events)).toEqual([]);
      expect(comparableHistory(events)).toEqual(comparableHistory(reference.history));
      expect(await api.verify(executionArn)).toMatchObject({ valid: true, eventCount: events.length });
    },
  );
});
