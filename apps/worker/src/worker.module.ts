import {
  ExecutionWorkerModule,
  type RecoverySweepOptions,
  ServiceModule,
  type ServiceModuleOptions,
} from '@lib/service';
import { type DynamicModule, Module } from '@nestjs/common';

/** A worker process: the durable driver consuming the work queue, and nothing else (no HTTP). */
@Module({})
export class WorkerModule {
  static forRoot(
    options: Omit<ServiceModuleOptions, 'runsTasks'>,
    sweep: Partial<RecoverySweepOptions> = {},
  ): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ServiceModule.forRoot({ ...options, runsTasks: true }), ExecutionWorkerModule.register(sweep)],
    };
  }
}
