import { describe, expect, it } from 'vitest';
import { parseRoute, routes } from './routing';

const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:banking-account-opening';
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:banking-account-opening:a/b?c#d%e';

describe('hash routes', () => {
  it('reads back every address it writes, ARNs with any characters included', () => {
    expect(parseRoute(routes.stateMachines())).toEqual({ view: 'state-machines' });
    expect(parseRoute(routes.stateMachine(MACHINE))).toEqual({ view: 'state-machine', stateMachineArn: MACHINE });
    expect(parseRoute(routes.execution(EXECUTION))).toEqual({ view: 'execution', executionArn: EXECUTION });
  });

  it('keeps the executions list filters in the query, leaving out empty ones', () => {
    const hash = routes.executions({ stateMachineArn: MACHINE, status: 'FAILED', search: '', after: undefined });
    expect(hash).toBe(`#/executions?stateMachineArn=${encodeURIComponent(MACHINE)}&status=FAILED`);
    const route = parseRoute(hash);
    expect(route.view).toBe('executions');
    if (route.view !== 'executions') return;
    expect(Object.fromEntries(route.params)).toEqual({ stateMachineArn: MACHINE, status: 'FAILED' });
  });

  it('sends anything else to the state machine list, and shows a malformed ARN as it was typed', () => {
    expect(parseRoute('')).toEqual({ view: 'state-machines' });
    expect(parseRoute('#/nowhere/at/all')).toEqual({ view: 'state-machines' });
    expect(parseRoute('#/executions/%E0%A4%A')).toEqual({ view: 'execution', executionArn: '%E0%A4%A' });
  });
});
