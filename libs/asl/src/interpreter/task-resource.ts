/**
 * How a Task's `Resource` is reached, which decides the history events it records:
 * Lambda function ARNs record `LambdaFunction*` events, activities `Activity*`, and service integrations
 * (`arn:aws:states:::service:action[.pattern]`) `Task*` events with `resourceType`/`resource`.
 */
export type TaskResource =
  | { readonly kind: 'lambda'; readonly arn: string; readonly region?: string }
  | { readonly kind: 'activity'; readonly arn: string }
  | {
      readonly kind: 'service';
      readonly arn: string;
      /** e.g. `lambda`, `sqs`, `http`. */
      readonly resourceType: string;
      /** The action with its pattern suffix, e.g. `invoke` or `invoke.waitForTaskToken`, as TaskScheduled shows it. */
      readonly resource: string;
      readonly pattern: 'request-response' | 'sync' | 'waitForTaskToken';
      readonly region?: string;
    };

const LAMBDA_FUNCTION = /^arn:[\w-]+:lambda:([\w-]*):\d*:function:/;
const ACTIVITY = /^arn:[\w-]+:states:[\w-]*:\d*:activity:/;
const SERVICE = /^arn:[\w-]+:states:([\w-]*):\d*:([\w-]+):(.+)$/;

const parsedResources = new Map<string, TaskResource>();

/** Classifies a Task `Resource` string. Anything that is not a recognised ARN is treated as a Lambda function. */
export function parseTaskResource(arn: string): TaskResource {
  let parsed = parsedResources.get(arn);
  if (!parsed) {
    parsed = classify(arn);
    // Definitions name few resources; the cap only guards against a caller inventing them without end.
    if (parsedResources.size < 10_000) parsedResources.set(arn, parsed);
  }
  return parsed;
}

function classify(arn: string): TaskResource {
  const lambda = LAMBDA_FUNCTION.exec(arn);
  if (lambda) return lambda[1] ? { kind: 'lambda', arn, region: lambda[1] } : { kind: 'lambda', arn };
  if (ACTIVITY.test(arn)) return { kind: 'activity', arn };
  const service = SERVICE.exec(arn);
  if (service) {
    const [, region, resourceType = '', resource = ''] = service;
    const pattern = resource.endsWith('.waitForTaskToken')
      ? 'waitForTaskToken'
      : /\.sync(:\d+)?$/.test(resource)
        ? 'sync'
        : 'request-response';
    return region
      ? { kind: 'service', arn, resourceType, resource, pattern, region }
      : { kind: 'service', arn, resourceType, resource, pattern };
  }
  // Local handler names ("CheckIdentity") behave like Lambda functions: the handler's return value is the result.
  return { kind: 'lambda', arn };
}
