import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryEvent } from '@lib/asl';
import {
  createHandlerInvoker,
  createMockInvoker,
  deterministicPorts,
  type ExecutionResult,
  LocalRunner,
  parseMockConfig,
  type TaskHandlers,
} from '@lib/engine';
import { describe, expect, it } from 'vitest';

/**
 * The banking example, replayed: every sample input runs through the real handlers on a virtual clock with
 * deterministic ids, and must reproduce the checked-in history event for event (timestamps aside).
 * `UPDATE_EXPECTED=1 npx vitest run asl-examples` re-records the histories after an intended change.
 */
const here = __dirname;
const definition = readFileSync(join(here, 'definition.asl.json'), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const handlers = require('./handlers.js') as TaskHandlers;

const expectations: Record<string, { status: string; lastState: string; retries?: number }> = {
  approved: { status: 'SUCCEEDED', lastState: 'Account Opened' },
  denied: { status: 'SUCCEEDED', lastState: 'Application Denied' },
  review: { status: 'SUCCEEDED', lastState: 'Account Opened' },
  'transient-failure': { status: 'SUCCEEDED', lastState: 'Account Opened', retries: 2 },
  'open-account-fails': { status: 'FAILED', lastState: 'Account Opening Failed', retries: 3 },
};

function start(taskInvoker: ReturnType<typeof createHandlerInvoker>, input: string, executionName: string) {
  return new LocalRunner({ taskInvoker, clock: 'virtual', ports: deterministicPorts() }).start({
    definition,
    input,
    stateMachineName: 'banking-account-opening',
    executionName,
  }).result;
}

/** The history without its timestamps: what must replay identically. */
function timeless(history: readonly HistoryEvent[]): object[] {
  return history.map(({ timestamp: _timestamp, ...event }) => event);
}

function lastStateName(result: ExecutionResult): string | undefined {
  const entered = result.history.filter((e) => e.type.endsWith('StateEntered'));
  return entered.at(-1)?.['stateEnteredEventDetails']?.['name'] as string | undefined;
}

describe('banking-account-opening', () => {
  const scenarios = readdirSync(join(here, 'inputs')).map((file) => file.replace(/\.json$/, ''));

  it('has an expectation for every sample input', () => {
    expect(scenarios.sort()).toEqual(Object.keys(expectations).sort());
  });

  for (const scenario of scenarios) {
    it(`replays the "${scenario}" scenario against its recorded history`, async () => {
      const input = readFileSync(join(here, 'inputs', `${scenario}.json`), 'utf8');
      const result = await start(createHandlerInvoker(handlers), input, scenario);
      const expected = expectations[scenario];
      expect(result.status).toBe(expected?.status);
      expect(lastStateName(result)).toBe(expected?.lastState);
      const failedAttempts = result.history.filter((e) => e.type === 'LambdaFunctionFailed').length;
      expect(failedAttempts).toBe(expected?.retries === undefined ? 0 : expected.retries + (expected.status === 'FAILED' ? 1 : 0));

      const recorded = join(here, 'expected', `${scenario}.history.json`);
      if (process.env['UPDATE_EXPECTED'] === '1') {
        writeFileSync(recorded, `${JSON.stringify(timeless(result.history), null, 2)}\n`);
      }
      expect(existsSync(recorded), `no recorded history at ${recorded}: run with UPDATE_EXPECTED=1`).toBe(true);
      expect(timeless(result.history)).toEqual(JSON.parse(readFileSync(recorded, 'utf8')));
    });
  }

  it('runs every test case of the mock config', async () => {
    const config = parseMockConfig(JSON.parse(readFileSync(join(here, 'mock-config.json'), 'utf8')));
    const input = readFileSync(join(here, 'inputs', 'approved.json'), 'utf8');
    const outcomes: Record<string, [string, string | undefined]> = {};
    for (const testCase of Object.keys(config.StateMachines['banking-account-opening']?.TestCases ?? {})) {
      const result = await start(createMockInvoker(config, 'banking-account-opening', testCase), input, testCase);
      outcomes[testCase] = [result.status, lastStateName(result)];
    }
    expect(outcomes).toEqual({
      Approved: ['SUCCEEDED', 'Account Opened'],
      ManualReviewApproved: ['SUCCEEDED', 'Account Opened'],
      CoreBankingFlaky: ['SUCCEEDED', 'Account Opened'],
      CoreBankingDown: ['FAILED', 'Account Opening Failed'],
    });
  });
});
