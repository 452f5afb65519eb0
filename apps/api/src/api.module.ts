import {
  ExecutionWorkerModule,
  type RecoverySweepOptions,
  ServiceModule,
  type ServiceModuleOptions,
} from '@lib/service';
import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ActivitiesController } from './activities/activities.controller';
import { ActivityTaskPoller } from './activities/activity-task.poller';
import {
  ACTIVITY_POLL_OPTIONS,
  type ActivityPollOptions,
  DEFAULT_ACTIVITY_POLL,
} from './activities/activity-poll.options';
import { AwsCredentialMiddleware } from './aws-protocol/aws-credential.middleware';
import { AwsJsonController } from './aws-protocol/aws-json.controller';
import { SfnActionsService } from './aws-protocol/sfn-actions.service';
import { ExecutionsController } from './executions/executions.controller';
import { HealthController } from './health/health.controller';
import { BearerAuthMiddleware } from './http/bearer-auth.middleware';
import { JsonBodyMiddleware } from './http/json-body.middleware';
import { ServiceExceptionFilter } from './http/service-exception.filter';
import { StateMachinesController } from './state-machines/state-machines.controller';
import { TasksController } from './tasks/tasks.controller';

/** How an API process is put together. */
export interface ApiModuleOptions extends ServiceModuleOptions {
  /** Also consume the queue in this process (`npm start`); the sweep's timing may be given (tests). */
  readonly withWorker?: boolean | Partial<RecoverySweepOptions>;
  readonly activityPoll?: Partial<ActivityPollOptions>;
}

/** The REST API and the Step Functions AWS JSON protocol, both over the durable driver. */
@Module({})
export class ApiModule implements NestModule {
  static forRoot(options: ApiModuleOptions): DynamicModule {
    const { withWorker } = options;
    return {
      module: ApiModule,
      imports: [
        ServiceModule.forRoot(options),
        ...(withWorker ? [ExecutionWorkerModule.register(withWorker === true ? {} : withWorker)] : []),
      ],
      controllers: [
        StateMachinesController,
        ExecutionsController,
        TasksController,
        ActivitiesController,
        HealthController,
        AwsJsonController,
      ],
      providers: [
        ActivityTaskPoller,
        SfnActionsService,
        { provide: APP_FILTER, useClass: ServiceExceptionFilter },
        { provide: ACTIVITY_POLL_OPTIONS, useValue: { ...DEFAULT_ACTIVITY_POLL, ...options.activityPoll } },
      ],
    };
  }

  /**
   * Credentials first, so an unauthenticated request is refused before its body is read: the REST API's bearer
   * token, or the AWS protocol's SigV4 access key id (each middleware passes the other's requests on). The AWS
   * protocol's bodies (application/x-amz-json-1.0) are JSON, read like any other.
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(BearerAuthMiddleware, AwsCredentialMiddleware, JsonBodyMiddleware)
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
