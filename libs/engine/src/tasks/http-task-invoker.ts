import { isJsonObject, type JsonObject, type JsonValue } from '@lib/asl';
import { TaskFailure, type TaskInvoker } from './task-invoker';

/** The HTTP Task resource: calls your own services. */
export const HTTP_INVOKE_RESOURCE = /^arn:[\w-]+:states:::http:invoke$/;

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** Options of the HTTP invoker. */
export interface HttpInvokerOptions {
  /** Abort a request that takes longer (the state's own TimeoutSeconds still applies on top). */
  readonly requestTimeoutMs?: number;
  /** Replaceable for tests. */
  readonly fetch?: typeof fetch;
}

/**
 * `arn:aws:states:::http:invoke`: sends the request the Parameters describe (`ApiEndpoint`, `Method`, `Headers`,
 * `QueryParameters`, `RequestBody`) and returns `{ Headers, ResponseBody, StatusCode, StatusText }`, as Step
 * Functions' HTTP task does. A response outside 2xx fails the task with `States.Http.StatusCode.<code>`, the error
 * Retry and Catch match on. `Authentication.ConnectionArn` names an EventBridge connection on AWS; locally there
 * are none, so it is accepted and ignored.
 */
export function createHttpInvoker(options: HttpInvokerOptions = {}): TaskInvoker {
  const doFetch = options.fetch ?? fetch;
  return async (request) => {
    const parameters = isJsonObject(request.input) ? request.input : {};
    const endpoint = parameters['ApiEndpoint'];
    const method = String(parameters['Method'] ?? '').toUpperCase();
    if (typeof endpoint !== 'string' || !/^https?:\/\//.test(endpoint)) {
      throw new TaskFailure('States.Runtime', 'The HTTP task needs an ApiEndpoint starting with http:// or https://.');
    }
    if (!METHODS.has(method)) throw new TaskFailure('States.Runtime', `The HTTP task's Method must be one of ${[...METHODS].join(', ')}.`);

    const url = new URL(endpoint);
    for (const [key, value] of Object.entries(objectOf(parameters['QueryParameters']))) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, text(item));
    }
    const headers = new Headers();
    for (const [key, value] of Object.entries(objectOf(parameters['Headers']))) headers.set(key, text(value));
    const body = parameters['RequestBody'];
    if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');

    const timeout = AbortSignal.timeout(options.requestTimeoutMs ?? 60_000);
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        ...(body === undefined || method === 'GET' || method === 'HEAD' ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        signal: AbortSignal.any([request.signal, timeout]),
      });
    } catch (e) {
      throw new TaskFailure('States.Http.Socket', `The HTTP request to ${url.origin} failed: ${(e as Error).message}`);
    }
    const raw = await response.text();
    const result: JsonObject = {
      Headers: Object.fromEntries([...response.headers].map(([key, value]) => [key, [value]])),
      ResponseBody: parseBody(raw, response.headers.get('content-type')),
      StatusCode: response.status,
      StatusText: response.statusText,
    };
    if (response.status < 200 || response.status > 299) {
      throw new TaskFailure(`States.Http.StatusCode.${response.status}`, JSON.stringify(result));
    }
    return result;
  };
}

function objectOf(value: JsonValue | undefined): JsonObject {
  return isJsonObject(value ?? null) ? (value as JsonObject) : {};
}

function text(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** JSON responses become JSON values; anything else stays text. */
function parseBody(raw: string, contentType: string | null): JsonValue {
  if (raw === '') return '';
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(raw) as JsonValue;
    } catch {
      return raw;
    }
  }
  return raw;
}

/**
 * One invoker from several: `http:invoke` goes to the HTTP invoker, everything else to `fallback` (local handlers).
 */
export function withHttpInvoker(fallback: TaskInvoker, http: TaskInvoker = createHttpInvoker()): TaskInvoker {
  return (request) => (HTTP_INVOKE_RESOURCE.test(request.resource) ? http(request) : fallback(request));
}
