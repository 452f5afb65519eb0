import { type DynamicModule, Module } from '@nestjs/common';
import {
  DEFAULT_RECOVERY_SWEEP,
  ExecutionWorkerService,
  RECOVERY_SWEEP_OPTIONS,
  type RecoverySweepOptions,
} from './execution-worker.service';

/** Turns a process into a worker: imported by apps/worker, and by the API's standalone entry next to its routes. */
@Module({})
export class ExecutionWorkerModule {
  static register(sweep: Partial<RecoverySweepOptions> = {}): DynamicModule {
    return {
      module: ExecutionWorkerModule,
      providers: [
        { provide: RECOVERY_SWEEP_OPTIONS, useValue: { ...DEFAULT_RECOVERY_SWEEP, ...sweep } },
        ExecutionWorkerService,
      ],
      exports: [ExecutionWorkerService],
    };
  }
}
