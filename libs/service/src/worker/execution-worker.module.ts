import { type DynamicModule, Module } from '@nestjs/common';
import {
  DEFAULT_OUTBOX_SWEEP,
  ExecutionWorkerService,
  OUTBOX_SWEEP_OPTIONS,
  type OutboxSweepOptions,
} from './execution-worker.service';

/** Turns a process into a worker: imported by apps/worker, and by the API's standalone entry next to its routes. */
@Module({})
export class ExecutionWorkerModule {
  static register(sweep: Partial<OutboxSweepOptions> = {}): DynamicModule {
    return {
      module: ExecutionWorkerModule,
      providers: [
        { provide: OUTBOX_SWEEP_OPTIONS, useValue: { ...DEFAULT_OUTBOX_SWEEP, ...sweep } },
        ExecutionWorkerService,
      ],
      exports: [ExecutionWorkerService],
    };
  }
}
