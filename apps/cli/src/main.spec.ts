import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, main } from './main';

const root = resolve(__dirname, '../../..');
const example = join(root, 'asl-examples/banking-account-opening');
const tmp = mkdtempSync(join(tmpdir(), 'asl-cli-'));

function file(name: string, content: string): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function sut(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new Capture();
  const err = new Capture();
  const code = await main(argv, out, err);
  return { code, out: out.text, err: err.text };
}

const PASS = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';

describe('asl validate', () => {
  it('accepts a valid definition', async () => {
    const { code, out } = await sut('validate', file('ok.json', PASS));
    expect(code).toBe(ExitCode.Succeeded);
    expect(out).toContain('valid');
  });

  it('prints every problem as FILE LOCATION: message and exits 1', async () => {
    const path = file('bad.json', JSON.stringify({ StartAt: 'Nope', States: { P: { Type: 'Pass', Next: 'Missing' } } }));
    const { code, err } = await sut('validate', path);
    expect(code).toBe(ExitCode.Failed);
    expect(err).toContain(`${path} /States/P/Next:`);
    expect(err).toContain(`${path} /StartAt:`);
  });

  it('reports a file that is not JSON and a missing file', async () => {
    const notJson = await sut('validate', file('broken.json', '{"StartAt": '));
    expect(notJson.code).toBe(ExitCode.Failed);
    expect(notJson.err).toMatch(/JSON/);
    const missing = await sut('validate', join(tmp, 'nowhere.json'));
    expect(missing.code).toBe(ExitCode.Usage);
    expect(missing.err).toContain('no such file');
  });
});

describe('asl run', () => {
  it('prints the output and the history table', async () => {
    const { code, out } = await sut('run', file('pass.json', PASS), '--input', '{"a":1}');
    expect(code).toBe(ExitCode.Succeeded);
    expect(out).toContain('Output: {"a":1}');
    expect(out).toMatch(/ID\s+Type\s+Step\s+Resource\s+Elapsed/);
    expect(out).toContain('PassStateEntered');
  });

  it('prints exactly one JSON object with --json', async () => {
    const { code, out } = await sut('run', file('pass2.json', PASS), '--json');
    expect(code).toBe(ExitCode.Succeeded);
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['status', 'output', 'error', 'cause', 'history']);
    expect(parsed['status']).toBe('SUCCEEDED');
  });

  it('exits 1 when the execution fails', async () => {
    const failing = JSON.stringify({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Nope', Cause: 'because' } } });
    const { code, out } = await sut('run', file('fail.json', failing), '--json');
    expect(code).toBe(ExitCode.Failed);
    expect(JSON.parse(out)).toMatchObject({ status: 'FAILED', error: 'Nope', cause: 'because' });
  });

  it('exits 2 for an invalid definition, bad input JSON and usage errors', async () => {
    const invalid = await sut('run', file('invalid.json', JSON.stringify({ StartAt: 'X', States: {} })));
    expect(invalid.code).toBe(ExitCode.Usage);
    expect(invalid.err).toContain('/StartAt');
    const badInput = await sut('run', file('pass3.json', PASS), '--input', '{not json');
    expect(badInput.code).toBe(ExitCode.Usage);
    expect(badInput.err).toContain('not valid JSON');
    const unknownFlag = await sut('run', file('pass4.json', PASS), '--bogus');
    expect(unknownFlag.code).toBe(ExitCode.Usage);
    const testCaseAlone = await sut('run', file('pass5.json', PASS), '--test-case', 'X');
    expect(testCaseAlone.code).toBe(ExitCode.Usage);
  });

  it('refuses to run a Task whose resource has no handler or mock', async () => {
    const task = JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: `${FN}Unknown`, End: true } } });
    const { code, err } = await sut('run', file('task.json', task));
    expect(code).toBe(ExitCode.Usage);
    expect(err).toContain(`${FN}Unknown`);
  });

  it('refuses input over 256 KiB', async () => {
    const big = file('big-input.json', JSON.stringify({ blob: 'x'.repeat(270 * 1024) }));
    const { code, err } = await sut('run', file('pass6.json', PASS), '--input-file', big);
    expect(code).toBe(ExitCode.Usage);
    expect(err).toContain('InvalidExecutionInput');
  });

  it('runs the banking example with its handlers and with its mock config', async () => {
    const definition = join(example, 'definition.asl.json');
    const withHandlers = await sut(
      'run', definition, '--input-file', join(example, 'inputs/review.json'), '--handlers', join(example, 'handlers.js'), '--fast-wait', '--json',
    );
    expect(withHandlers.code).toBe(ExitCode.Succeeded);
    expect(JSON.stringify(JSON.parse(withHandlers.out).history)).toContain('Manual Review');
    const mocked = await sut(
      'run', definition, '--input-file', join(example, 'inputs/approved.json'), '--mock-config', join(example, 'mock-config.json'),
      '--test-case', 'CoreBankingDown', '--fast-wait', '--json',
    );
    expect(mocked.code).toBe(ExitCode.Failed);
    expect(JSON.parse(mocked.out)).toMatchObject({ status: 'FAILED', error: 'AccountOpeningFailed' });
  });
});

describe('the asl binary', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { cwd: root });
  });

  it('runs a definition and exits with the execution verdict', () => {
    const run = spawnSync(process.execPath, [join(root, 'bin/asl.js'), 'run', file('bin.json', PASS), '--json'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'SUCCEEDED', output: {} });
    expect(run.stderr).toBe('');
  });
});
