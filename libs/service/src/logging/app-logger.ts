import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { AppLogLevel } from '../config/app-config';

/** Nest's levels from loudest to quietest; a configured level enables itself and everything quieter. */
const LOUDEST_FIRST: readonly LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/** The log levels a LOG_LEVEL enables. */
export function logLevelsFrom(level: AppLogLevel): LogLevel[] {
  return LOUDEST_FIRST.slice(LOUDEST_FIRST.indexOf(level));
}

/** The logger of one service process; `prefix` tells the API, the worker and the standalone process apart. */
export function createAppLogger(level: AppLogLevel, prefix: string): ConsoleLogger {
  return new ConsoleLogger({ logLevels: logLevelsFrom(level), prefix });
}
