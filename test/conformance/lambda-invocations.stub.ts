import type { JsonValue } from '@lib/asl';
import { isJsonObject } from './json.guards';
import type { ExecutionCase, RecordedFunction, RecordedInvocation } from './conformance-case.types';
import type { ConformanceTaskInvoker, ConformanceTaskRequest } from './engine.ports';
import { pythonJsonText } from './python-json.serializer';
import { canonical, compareSnapshots, TokenBindings } from './snapshot.comparator';
import type { SnapshotNormalizer } from './snapshot.normalizer';

const SERVICE_INVOKE = /^arn:[^:]+:states:::lambda:invoke$/;
const FUNCTION_ARN = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:/;

/** How a call reached Lambda: a function ARN as the Resource, or the `lambda:invoke` service integration. */
type CallStyle = 'function' | 'service';

/** Everything the stub needs besides the case. */
export interface LambdaStubDependencies {
  readonly normalizer: SnapshotNormalizer;
  /** `new TaskFailure(error, cause)` from the engine. */
  readonly taskFailure: (error: string, cause: string | undefined) => Error;
  /** Fresh request ids for synthesized Lambda errors. */
  readonly uuid: () => string;
}

/**
 * Answers a case's Lambda calls from what AWS recorded (`lambda.invocations`, in history order). A call takes the
 * earliest unused recording whose resource and input (after normalization, tokens as variables) fit it, so retries
 * replay in order and Parallel/Map branches that call in another order still get their own answers; if none fits,
 * the earliest unused one answers and the mismatch is noted for the report.
 *
 * - `succeeded`: the recorded output, with literal names put back (`<lambda_function_name>` → the function name);
 *   tokens nobody can rebuild (`<uuid:1>`, `date`) are returned as they are and compare as variables afterwards.
 * - `failed`: thrown as a task failure with the recorded error and cause (the cause as the text AWS recorded).
 * - `timedOut`: never settles, so the state's own `TimeoutSeconds` fires; it rejects when the engine aborts it.
 *
 * A case with functions but no recordings (express and sync-only tests keep no history; distributed Map iterations
 * call from child executions) is answered from the function's `behavior` where that is one of the few known
 * handlers (identity, raise an exception).
 */
export class LambdaInvocationsStub {
  /** Anomalies (unmatched or unrecorded calls) the report shows when the case fails. */
  readonly notes: string[] = [];
  private readonly unused: { readonly recording: RecordedInvocation; readonly index: number }[];
  private calls = 0;

  constructor(
    private readonly testCase: ExecutionCase,
    private readonly deps: LambdaStubDependencies,
  ) {
    this.unused = (testCase.lambda?.invocations ?? []).map((recording, index) => ({ recording, index }));
  }

  /** The `TaskInvoker` to give the runner. */
  readonly invoke: ConformanceTaskInvoker = (request) => {
    this.calls++;
    const style = callStyle(request.resource);
    if (!style) {
      this.notes.push(
        `call ${this.calls} (${request.stateName}): resource ${request.resource} is not a Lambda function`,
      );
      return Promise.reject(this.deps.taskFailure('ConformanceRunner.UnsupportedResource', request.resource));
    }
    // Distributed Map iterations run as child executions: their calls are not in the parent's history at all.
    if (!this.testCase.lambda?.invocations?.length) return this.synthesize(request, style);
    const chosen = this.choose(request, style);
    if (!chosen) {
      this.notes.push(
        `call ${this.calls} (${request.stateName}): more calls than the ${this.testCase.lambda.invocations.length} recorded`,
      );
      return Promise.reject(
        this.deps.taskFailure(
          'ConformanceRunner.UnrecordedInvocation',
          `${request.resource} was called more often than recorded`,
        ),
      );
    }
    return this.answer(chosen, request.signal);
  };

  private choose(request: ConformanceTaskRequest, style: CallStyle): RecordedInvocation | undefined {
    const candidates = this.unused.filter(({ recording }) => fitsStyle(recording, style));
    if (candidates.length === 0) return undefined;
    const actualInput = this.deps.normalizer.normalizePayload(request.input);
    const actualResource = this.deps.normalizer.normalizePayload(request.resource);
    const fitting = candidates.find(({ recording }) => {
      const bindings = new TokenBindings();
      if (style === 'function' && recording.resource !== undefined) {
        if (compareSnapshots(recording.resource, actualResource, bindings, { limit: 1 }).length > 0) return false;
      }
      const recorded = style === 'service' ? recording.parameters : recording.input;
      if (recorded === undefined) return true;
      return compareSnapshots(recorded, actualInput, bindings, { limit: 1 }).length === 0;
    });
    const picked = fitting ?? candidates[0];
    if (!picked) return undefined;
    if (!fitting) {
      const recorded = style === 'service' ? picked.recording.parameters : picked.recording.input;
      this.notes.push(
        `call ${this.calls} (${request.stateName}): input ${truncate(canonical(actualInput))} fits no recorded call; ` +
          `answered with recording #${picked.index + 1} (input ${truncate(canonical(recorded))})`,
      );
    }
    this.unused.splice(this.unused.indexOf(picked), 1);
    return picked.recording;
  }

  private answer(recording: RecordedInvocation, signal: AbortSignal): Promise<JsonValue> {
    switch (recording.outcome) {
      case 'succeeded':
        return Promise.resolve(this.restoreNames(recording.output ?? null));
      case 'failed':
        return Promise.reject(
          this.deps.taskFailure(
            recording.error ?? '',
            this.causeText(recording.cause, recording.resourceType === 'lambda'),
          ),
        );
      case 'timedOut':
        return new Promise<JsonValue>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new Error('aborted after the recorded timeout')), {
            once: true,
          });
        });
    }
  }

  /**
   * The cause as text. The corpus parsed JSON causes into objects; where the expected values still hold the original
   * text (a Catch output's `Cause`), that exact text is used, since it is compared as a string. Otherwise the form AWS
   * produces: compact JSON for `lambda:invoke`, the function's own (Python) formatting for a function resource.
   */
  private causeText(cause: JsonValue | undefined, viaService: boolean): string | undefined {
    if (cause === undefined || cause === null) return undefined;
    if (typeof cause === 'string') return this.deps.normalizer.denormalizeText(cause);
    const recordedText = findOriginalText(this.testCase.expected, canonical(cause));
    const text = recordedText ?? (viaService ? JSON.stringify(cause) : pythonJsonText(cause));
    return this.deps.normalizer.denormalizeText(text);
  }

  private restoreNames(value: JsonValue): JsonValue {
    return JSON.parse(this.deps.normalizer.denormalizeText(JSON.stringify(value))) as JsonValue;
  }

  /** Answers for functions the test ran but whose calls left no recording (no history was kept). */
  private synthesize(request: ConformanceTaskRequest, style: CallStyle): Promise<JsonValue> {
    const fn = this.functionFor(request);
    const behavior = fn?.behavior ?? '';
    const payload =
      style === 'service' && isJsonObject(request.input) ? (request.input['Payload'] ?? null) : request.input;
    if (/^identity\b/i.test(behavior)) {
      return Promise.resolve(style === 'service' ? serviceInvokeResponse(payload) : payload);
    }
    const raised = /raises a plain Python Exception with message '([^']*)'/.exec(behavior);
    if (raised) {
      const message = raised[1] as string;
      const errorPayload = {
        errorMessage: message,
        errorType: 'Exception',
        requestId: this.deps.uuid(),
        stackTrace: [
          `  File "/var/task/handler.py", line 2, in handler\n    raise Exception(${JSON.stringify(message)})\n`,
        ],
      };
      const cause = style === 'service' ? JSON.stringify(errorPayload) : pythonJsonText(errorPayload);
      return Promise.reject(this.deps.taskFailure('Exception', cause));
    }
    this.notes.push(
      `call ${this.calls} (${request.stateName}): no recorded call and no known behaviour ("${behavior}")`,
    );
    return Promise.reject(
      this.deps.taskFailure('ConformanceRunner.UnrecordedInvocation', `no recording for ${request.resource}`),
    );
  }

  private functionFor(request: ConformanceTaskRequest): RecordedFunction | undefined {
    const functions = this.testCase.lambda?.functions ?? [];
    const target =
      callStyle(request.resource) === 'service' && isJsonObject(request.input)
        ? String(request.input['FunctionName'] ?? '')
        : request.resource;
    return (
      functions.find((fn) => target === fn.name || target === fn.arn || target.endsWith(`:${fn.name}`)) ?? functions[0]
    );
  }
}

function callStyle(resource: string): CallStyle | undefined {
  if (SERVICE_INVOKE.test(resource)) return 'service';
  if (FUNCTION_ARN.test(resource)) return 'function';
  return undefined;
}

/** Recordings without a scheduled event (sorted Parallel histories) carry no resource and fit any call. */
function fitsStyle(recording: RecordedInvocation, style: CallStyle): boolean {
  if (recording.resource === undefined) return true;
  const recordedStyle: CallStyle = recording.resourceType === 'lambda' ? 'service' : 'function';
  return recordedStyle === style;
}

/** Searches the expected values for a JSON-object string whose parsed value is `canonicalCause`. */
function findOriginalText(value: unknown, canonicalCause: string): string | undefined {
  if (typeof value === 'string') {
    if (!value.startsWith('{')) return undefined;
    try {
      return canonical(JSON.parse(value)) === canonicalCause ? value : undefined;
    } catch {
      return undefined;
    }
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const item of Object.values(value)) {
    const found = findOriginalText(item, canonicalCause);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * What `lambda:invoke` returns for a successful call, in the normalized form the corpus records (header values
 * already replaced by their placeholders). `Content-Length` is the size of the function's JSON reply.
 */
function serviceInvokeResponse(payload: JsonValue): JsonValue {
  const length = String(Buffer.byteLength(pythonJsonText(payload), 'utf8'));
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: {
        'X-Amz-Executed-Version': ['$LATEST'],
        'x-amzn-Remapped-Content-Length': ['0'],
        Connection: ['keep-alive'],
        'x-amzn-RequestId': 'x-amzn-RequestId',
        'Content-Length': [length],
        Date: 'date',
        'X-Amzn-Trace-Id': 'X-Amzn-Trace-Id',
        'Content-Type': ['application/json'],
      },
      HttpHeaders: {
        Connection: 'keep-alive',
        'Content-Length': length,
        'Content-Type': 'application/json',
        Date: 'date',
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-Remapped-Content-Length': '0',
        'x-amzn-RequestId': 'x-amzn-RequestId',
        'X-Amzn-Trace-Id': 'X-Amzn-Trace-Id',
      },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: 'RequestId' },
    StatusCode: 200,
  };
}

function truncate(text: string): string {
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
