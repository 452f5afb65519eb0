import type { JsonValue } from '@lib/asl';
import { parseTaskResource } from '@lib/asl';
import { TaskFailure, type TaskCallbacks, type TaskInvoker, type TaskRequest } from './task-invoker';

/** What a handler receives besides its input. */
export interface TaskHandlerContext {
  readonly stateName: string;
  readonly resource: string;
  /** The context object (`$$`). */
  readonly context: JsonValue;
  /** Aborted when the task is no longer wanted (timed out, execution stopped, sibling branch failed). */
  readonly signal: AbortSignal;
  /** For `.waitForTaskToken` tasks: the token and the calls that complete it. */
  readonly taskToken?: string;
  readonly callbacks?: TaskCallbacks;
}

/**
 * A local task implementation: a plain (async) function, like a Lambda handler. Its return value is the task's
 * result; a thrown error becomes the ASL error (`error` = the error's name, `cause` = its message).
 */
export type TaskHandler = (input: JsonValue, context: TaskHandlerContext) => unknown;

/**
 * Handlers keyed by resource: a Lambda function's name (`CheckIdentity`) or full ARN, an activity ARN, or any
 * other Resource string exactly as the definition spells it.
 */
export type TaskHandlers = Readonly<Record<string, TaskHandler>>;

const LAMBDA_INVOKE = /^arn:[\w-]+:states:::lambda:invoke(\.waitForTaskToken)?$/;

/**
 * A TaskInvoker backed by local handlers. `arn:aws:states:::lambda:invoke` calls the handler named by
 * `FunctionName` with `Payload` and wraps its result as the Lambda Invoke API response (`Payload`, `StatusCode`,
 * `ExecutedVersion`), which is what that integration returns on AWS.
 */
export function createHandlerInvoker(handlers: TaskHandlers): TaskInvoker {
  return async (request) => {
    const context = handlerContext(request);
    if (LAMBDA_INVOKE.test(request.resource)) {
      const parameters = request.input as { FunctionName?: unknown; Payload?: JsonValue } | null;
      const functionName = typeof parameters?.FunctionName === 'string' ? parameters.FunctionName : undefined;
      if (functionName === undefined) {
        throw new TaskFailure('Lambda.InvalidParameterValueException', 'The parameters of lambda:invoke need a FunctionName string.');
      }
      const handler = lambdaHandler(handlers, functionName);
      const payload = await handler(parameters?.Payload ?? null, context);
      if (request.taskToken !== undefined) return { StatusCode: 202, Payload: '' };
      return { ExecutedVersion: '$LATEST', Payload: (payload ?? null) as JsonValue, StatusCode: 200 };
    }
    const resource = parseTaskResource(request.resource);
    const handler =
      handlers[request.resource] ?? (resource.kind === 'lambda' ? lambdaHandler(handlers, request.resource) : undefined);
    if (!handler) throw missingHandler(request.resource);
    return (await handler(request.input, context)) as JsonValue;
  };
}

/** The resources of a definition's Task states that no handler answers (for refusing a run up front). */
export function resourcesWithoutHandler(resources: Iterable<string>, handlers: TaskHandlers): string[] {
  const missing: string[] = [];
  for (const resource of resources) {
    if (LAMBDA_INVOKE.test(resource) || handlers[resource]) continue;
    const parsed = parseTaskResource(resource);
    if (parsed.kind === 'lambda' && findLambdaHandler(handlers, resource)) continue;
    missing.push(resource);
  }
  return missing;
}

function handlerContext(request: TaskRequest): TaskHandlerContext {
  return {
    stateName: request.stateName,
    resource: request.resource,
    context: request.context,
    // A getter, not a copy: most handlers never look at their signal, and creating one has a cost.
    get signal() {
      return request.signal;
    },
    ...(request.taskToken === undefined ? {} : { taskToken: request.taskToken }),
    ...(request.callbacks === undefined ? {} : { callbacks: request.callbacks }),
  };
}

function lambdaHandler(handlers: TaskHandlers, functionNameOrArn: string): TaskHandler {
  const handler = findLambdaHandler(handlers, functionNameOrArn);
  if (!handler) throw missingHandler(functionNameOrArn);
  return handler;
}

/** Finds a function by full ARN, by ARN without its qualifier, or by bare name, as Lambda resolves FunctionName. */
function findLambdaHandler(handlers: TaskHandlers, functionNameOrArn: string): TaskHandler | undefined {
  const exact = handlers[functionNameOrArn];
  if (exact) return exact;
  const match = /^(?:arn:[\w-]+:lambda:[\w-]*:\d*:function:)?([^:]+)(?::[^:]+)?$/.exec(functionNameOrArn);
  const name = match?.[1];
  return name === undefined ? undefined : handlers[name];
}

function missingHandler(resource: string): TaskFailure {
  return new TaskFailure(
    'Lambda.ResourceNotFoundException',
    `Function not found: ${resource} (no local handler is registered for this resource)`,
  );
}
