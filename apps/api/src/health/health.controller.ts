import type { ExecutionStore, WorkQueue } from '@lib/engine';
import { EXECUTION_STORE, WORK_QUEUE } from '@lib/service';
import { Controller, Get, Inject, Logger, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HEALTH } from '../http/openapi-schemas';

/** A backend that has not answered in this long is down, as far as a load balancer's probe is concerned. */
const PING_TIMEOUT_MS = 2_000;

/** Readiness: 200 only when the execution store and the work queue both answer. Never requires a token. */
@ApiTags('Health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');

  constructor(
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
    @Inject(WORK_QUEUE) private readonly queue: WorkQueue,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Readiness: 200 when the store and the queue answer, 503 otherwise' })
  @ApiResponse({ status: 200, schema: HEALTH })
  @ApiResponse({ status: 503, schema: HEALTH })
  async health(@Res({ passthrough: true }) res: Response) {
    const [store, queue] = await Promise.all([
      this.check('store', () => this.store.ping()),
      this.check('queue', () => this.queue.ping()),
    ]);
    const ok = store === 'up' && queue === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', store, queue };
  }

  private async check(what: string, ping: () => Promise<void>): Promise<'up' | 'down'> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
        }),
      ]);
      return 'up';
    } catch (e) {
      this.logger.warn(`The ${what} is down: ${(e as Error).message}`);
      return 'down';
    } finally {
      clearTimeout(timer);
    }
  }
}
