import type { EntitySchema } from 'typeorm';
import { activityTaskEntity } from './activity-task.entity';
import { activityEntity } from './activity.entity';
import type { SqlDialectName } from './column-types';
import { executionInboxEntity } from './execution-inbox.entity';
import { executionOutboxEntity } from './execution-outbox.entity';
import { executionEntity } from './execution.entity';
import { historyEventEntity } from './history-event.entity';
import { resourceTagEntity } from './resource-tag.entity';
import { stateMachineRevisionEntity } from './state-machine-revision.entity';
import { stateMachineEntity } from './state-machine.entity';
import { taskTokenEntity } from './task-token.entity';
import { timedOutTaskTokenEntity } from './timed-out-task-token.entity';

/**
 * Every entity of the execution store, for one dialect. They are EntitySchema objects rather than decorated
 * classes: TypeORM 1.1's decorators follow the legacy `experimentalDecorators` signature, which TypeScript 6's
 * standard decorators refuse (TS1240), and schemas need no decorator metadata from the compiler or from vitest.
 */
export function persistenceEntities(dialect: SqlDialectName): EntitySchema[] {
  return [
    stateMachineEntity(dialect),
    stateMachineRevisionEntity(dialect),
    executionEntity(dialect),
    historyEventEntity(dialect),
    executionInboxEntity(dialect),
    executionOutboxEntity(dialect),
    taskTokenEntity(dialect),
    activityEntity(dialect),
    activityTaskEntity(dialect),
    timedOutTaskTokenEntity(dialect),
    resourceTagEntity(),
  ] as EntitySchema[];
}
