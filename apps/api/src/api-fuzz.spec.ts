import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiModule } from './api.module';
import { type ApiTestApp, enc, startApiTestApp } from './testing/api-test-app';

/** A small seeded generator: a failure names its seed and replays exactly. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}

type Random = ReturnType<typeof generator>;

/** Field names the routes know, so random objects often get past "unknown field" and reach deeper checks. */
const FIELDS = [
  'name',
  'definition',
  'type',
  'roleArn',
  'stateMachineArn',
  'input',
  'output',
  'taskToken',
  'error',
  'cause',
  '__proto__',
  'constructor',
];
const STRINGS = [
  '',
  ' ',
  'x',
  'STANDARD',
  'EXPRESS',
  '{}',
  '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}',
  '{"a":',
  'null',
  '\u0000',
  '💥',
  'a'.repeat(2000),
];

function randomValue(r: Random, depth = 0): unknown {
  switch (r.int(depth > 2 ? 4 : 6)) {
    case 0:
      return r.pick([null, true, false]);
    case 1:
      return r.pick([0, -1, 1.5, 1e308, 2 ** 53 + 1, -0]);
    case 2:
    case 3:
      return r.pick(STRINGS);
    case 4:
      return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: r.int(5) }, () => [r.pick(FIELDS), randomValue(r, depth + 1)]));
  }
}

/** Bodies that are not JSON, or barely: truncations, stray bytes, wrong encodings, deep nesting. */
function randomMalformedBody(r: Random): string | Uint8Array {
  const valid = JSON.stringify(randomValue(r));
  switch (r.int(6)) {
    case 0:
      return valid.slice(0, r.int(valid.length + 1));
    case 1:
      return `${valid}${r.pick(['}', ']', ',', 'x', '\u0000'])}`;
    case 2:
      return Uint8Array.from({ length: 1 + r.int(64) }, () => r.int(256));
    case 3:
      return r.pick(['{', '[', '"', 'nul', 'undefined', "{'a': 1}", '{"a":1,}', 'NaN', '\ufeff{}']);
    case 4:
      return `${'['.repeat(5000)}${']'.repeat(5000)}`;
    default:
      return valid;
  }
}

describe(`${ApiModule.name} under random input`, () => {
  let sut: ApiTestApp;
  let arns: string[];

  beforeAll(async () => {
    sut = await startApiTestApp({ taskHandlers: {} });
    const machine = await sut.request('POST', '/state-machines', {
      name: 'Target',
      definition: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } },
    });
    const execution = await sut.request('POST', '/executions', { stateMachineArn: machine.body.stateMachineArn });
    const activity = await sut.request('POST', '/activities', { name: 'Target' });
    arns = [
      machine.body.stateMachineArn,
      execution.body.executionArn,
      activity.body.activityArn,
      'arn:aws:states:us-east-1:123456789012:stateMachine:Other',
      'arn:aws:states:::',
      'not-an-arn',
      '%',
      '..',
      'a'.repeat(3000),
    ];
  });
  afterAll(async () => {
    await sut.close();
  });

  const DEFINITION = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };
  const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:Target';
  /** Each route with a valid body to mutate, so that many requests get past validation and reach the driver. */
  const routes: readonly [method: string, path: (arn: string) => string, valid?: Record<string, unknown>][] = [
    ['POST', () => '/state-machines', { name: 'Fuzzed', definition: DEFINITION, type: 'STANDARD' }],
    ['GET', () => '/state-machines'],
    ['POST', () => '/state-machines/validate', { definition: DEFINITION, type: 'EXPRESS' }],
    ['GET', (arn) => `/state-machines/${arn}`],
    ['PUT', (arn) => `/state-machines/${arn}`, { definition: DEFINITION, roleArn: 'arn:aws:iam::123456789012:role/R' }],
    ['DELETE', (arn) => `/state-machines/${arn}`],
    ['POST', () => '/executions', { stateMachineArn: MACHINE, input: { a: 1 }, name: 'fuzzed' }],
    ['GET', () => '/executions'],
    ['GET', (arn) => `/executions/${arn}`],
    ['GET', (arn) => `/executions/${arn}/history`],
    ['POST', (arn) => `/executions/${arn}/stop`, { error: 'E', cause: 'C' }],
    ['GET', (arn) => `/executions/${arn}/verify`],
    ['GET', (arn) => `/executions/${arn}/waiting-tasks`],
    ['GET', (arn) => `/executions/${arn}/state-machine`],
    ['POST', () => '/tasks/success', { taskToken: 'token', output: { a: 1 } }],
    ['POST', () => '/tasks/failure', { taskToken: 'token', error: 'E', cause: 'C' }],
    ['POST', () => '/tasks/heartbeat', { taskToken: 'token' }],
    ['POST', () => '/activities', { name: 'Fuzzed' }],
    ['GET', (arn) => `/activities/${arn}/task`],
    ['GET', () => '/health'],
  ];

  /** A valid body with one field changed, dropped, or added. */
  function mutated(r: Random, valid: Record<string, unknown>): string {
    const body: Record<string, unknown> = { ...valid };
    const key = r.pick([...Object.keys(valid), r.pick(FIELDS)]);
    if (r.int(4) === 0) delete body[key];
    else body[key] = randomValue(r);
    return JSON.stringify(body);
  }

  const QUERIES = [
    '',
    '?maxResults=abc',
    '?maxResults=5&nextToken=garbage',
    '?nextToken=',
    '?reverseOrder=maybe',
    '?statusFilter=x&x=1',
    '?startedAfter=yesterday&startedBefore=2030-01-01T00:00:00Z',
    '?search=%25_%5C&startedAfter=2030-01-02T00:00:00Z&startedBefore=2030-01-01T00:00:00Z',
    '?a[b]=1&a=2',
    '?maxResults=1&maxResults=2',
  ];

  it.each(routes.map(([method, path], index) => [method, path('{arn}'), index] as const))(
    '%s %s never answers 500',
    async (method, _, index) => {
      const r = generator(1000 + index);
      const path = routes[index]?.[1] ?? (() => '/');
      const failures: string[] = [];
      for (let i = 0; i < 60; i++) {
        const arn = r.int(3) === 0 ? enc(r.pick(STRINGS)) : enc(r.pick(arns));
        const url = `${path(arn)}${r.pick(QUERIES)}`;
        const valid = routes[index]?.[2];
        const choice = r.int(3);
        const body =
          method === 'GET' || method === 'DELETE'
            ? undefined
            : choice === 0 && valid
              ? mutated(r, valid)
              : choice === 1
                ? JSON.stringify(randomValue(r))
                : randomMalformedBody(r);
        const response = await fetch(`${sut.url}${url}`, {
          method,
          headers: { 'content-type': r.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded']) },
          ...(body === undefined ? {} : { body }),
        });
        const text = await response.text();
        if (response.status >= 500)
          failures.push(`${method} ${url} ${String(body).slice(0, 200)} → ${response.status} ${text}`);
        else if (response.status >= 400)
          expect(JSON.parse(text)).toEqual(
            expect.objectContaining({ __type: expect.any(String), message: expect.any(String) }),
          );
      }
      expect(failures).toEqual([]);
    },
  );
});
