import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppLogger, createAppLogger, logLevelsFrom } from './app-logger';

describe(AppLogger.name, () => {
  afterEach(() => vi.restoreAllMocks());

  it('enables the configured level and every quieter one', () => {
    expect(logLevelsFrom('log')).toEqual(['log', 'warn', 'error', 'fatal']);
    expect(logLevelsFrom('verbose')).toHaveLength(6);
    expect(logLevelsFrom('fatal')).toEqual(['fatal']);
  });

  it("keeps Nest's module and route inventory out of the default log, and everything else in", () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(
      (chunk: string | Uint8Array) => written.push(String(chunk)) > 0,
    );
    const sut = createAppLogger('log', 'asl');
    sut.log('Mapped {/health, GET} route', 'RouterExplorer');
    sut.log('API at http://localhost:3000', 'Standalone');
    expect(written.join('')).not.toContain('Mapped');
    expect(written.join('')).toContain('API at http://localhost:3000');
  });
});
