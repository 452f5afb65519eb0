import { type ExecutionStore, type TaskHandlers, type WorkQueue } from '@lib/engine';
import { createExecutionStore } from '@lib/persistence';
import { createWorkQueue } from '@lib/queue';
import { parseAppConfig } from '@lib/service';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { API_APP_OPTIONS, configureApiApp } from '../api-app.factory';
import { ApiModule } from '../api.module';

/** A response as the tests look at it. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, or the text when it is not JSON. */
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary response fields
}

/** An API app listening on a free port, on the in-memory store and the in-process queue unless told otherwise. */
export interface ApiTestApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly store: ExecutionStore;
  readonly queue: WorkQueue;
  /** Sends a request; a `body` that is not a string is sent as JSON. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface ApiTestAppOptions {
  readonly env?: Record<string, string>;
  readonly store?: ExecutionStore;
  readonly queue?: WorkQueue;
  readonly taskHandlers?: TaskHandlers;
  /** Run a worker in the app, as `npm start` does (default true). */
  readonly withWorker?: boolean;
  /** GetActivityTask's long poll (default: 300 ms, so that empty polls end quickly). */
  readonly activityPoll?: { readonly timeoutMs: number; readonly intervalMs: number };
}

export async function startApiTestApp(options: ApiTestAppOptions = {}): Promise<ApiTestApp> {
  const config = parseAppConfig(options.env ?? {});
  const store = options.store ?? (await createExecutionStore({ kind: 'memory' })).store;
  const queue =
    options.queue ??
    createWorkQueue({ kind: 'in-process', retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 50 } });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ApiModule.forRoot({
        config,
        runsTasks: true,
        store,
        queue,
        taskHandlers: options.taskHandlers ?? {},
        ...(options.withWorker === false ? {} : { withWorker: { intervalMs: 60_000 } }),
        activityPoll: options.activityPoll ?? { timeoutMs: 300, intervalMs: 20 },
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ ...API_APP_OPTIONS, logger: false });
  configureApiApp(app);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');

  return {
    app,
    url,
    store,
    queue,
    async request(method, path, body, headers = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: kept as text for the assertion to show.
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    close: () => app.close(),
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `encodeURIComponent` for ARNs in paths. */
export const enc = encodeURIComponent;
