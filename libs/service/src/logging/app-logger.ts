import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { AppLogLevel } from '../config/app-config';

/** Nest's levels from loudest to quietest; a configured level enables itself and everything quieter. */
const LOUDEST_FIRST: readonly LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/** The log levels a LOG_LEVEL enables. */
export function logLevelsFrom(level: AppLogLevel): LogLevel[] {
  return LOUDEST_FIRST.slice(LOUDEST_FIRST.indexOf(level));
}

/**
 * Nest's start-up inventory (every module and every route, two dozen lines): demoted to `verbose` so that the lines
 * saying which store and queue run, and where the API is, are not buried.
 */
const START_UP_CHATTER: ReadonlySet<string> = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** The console logger of a service process. */
export class AppLogger extends ConsoleLogger {
  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && START_UP_CHATTER.has(context)) super.verbose(message, ...rest);
    else super.log(message, ...rest);
  }
}

/** The logger of one service process; `prefix` tells the API, the worker and the standalone process apart. */
export function createAppLogger(level: AppLogLevel, prefix: string): AppLogger {
  return new AppLogger({ logLevels: logLevelsFrom(level), prefix });
}
