import type { HistoryEvent } from '@lib/asl';

/** A response as the suites look at it. */
export interface ApiResponse {
  readonly status: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- suites read arbitrary response fields
  readonly text: string;
}

/** What DescribeExecution answers. */
export interface ExecutionDescription {
  readonly executionArn: string;
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly input: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

/** ARNs travel URL-encoded in paths. */
export const enc = encodeURIComponent;

/**
 * A small client of the service's REST API, over plain fetch: the suites test the HTTP surface a user sees, so they
 * use no code of the API itself. The helpers throw with the response when the service answers something unexpected.
 */
export class ServiceApi {
  constructor(readonly url: string) {}

  /** Sends a request; `body` is sent as JSON unless it is already a string or bytes (sent as they are). */
  async request(
    method: string,
    path: string,
    body?: unknown,
    options: { readonly headers?: Record<string, string>; readonly signal?: AbortSignal } = {},
  ): Promise<ApiResponse> {
    const raw = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
      ...(body === undefined ? {} : { body: raw }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: kept as text, for the assertion to show.
    }
    return { status: response.status, body: parsed, text };
  }

  private async expectStatus(
    response: Promise<ApiResponse>,
    what: string,
    ...statuses: number[]
  ): Promise<ApiResponse> {
    const answered = await response;
    if (!statuses.includes(answered.status)) throw new Error(`${what}: ${answered.status} ${answered.text}`);
    return answered;
  }

  async createStateMachine(name: string, definition: object | string): Promise<string> {
    const response = await this.expectStatus(
      this.request('POST', '/state-machines', { name, definition }),
      `CreateStateMachine ${name}`,
      201,
    );
    return response.body.stateMachineArn as string;
  }

  async startExecution(stateMachineArn: string, input: string, name?: string): Promise<string> {
    const response = await this.expectStatus(
      this.request('POST', '/executions', { stateMachineArn, input, ...(name === undefined ? {} : { name }) }),
      `StartExecution ${name ?? ''}`,
      201,
    );
    return response.body.executionArn as string;
  }

  async describeExecution(arn: string): Promise<ExecutionDescription> {
    const response = await this.expectStatus(
      this.request('GET', `/executions/${enc(arn)}`),
      `DescribeExecution ${arn}`,
      200,
    );
    return response.body as ExecutionDescription;
  }

  /** Every event of the history, read in pages of `pageSize` as a client would. */
  async history(arn: string, pageSize = 25): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const query = `maxResults=${pageSize}${nextToken === undefined ? '' : `&nextToken=${enc(nextToken)}`}`;
      const response = await this.expectStatus(
        this.request('GET', `/executions/${enc(arn)}/history?${query}`),
        `GetExecutionHistory ${arn}`,
        200,
      );
      events.push(...(response.body.events as HistoryEvent[]));
      nextToken = response.body.nextToken as string | undefined;
    } while (nextToken !== undefined);
    return events;
  }

  /** The newest event of the history. */
  async lastEvent(arn: string): Promise<HistoryEvent> {
    const response = await this.expectStatus(
      this.request('GET', `/executions/${enc(arn)}/history?maxResults=1&reverseOrder=true`),
      `GetExecutionHistory ${arn}`,
      200,
    );
    return (response.body.events as HistoryEvent[])[0] as HistoryEvent;
  }

  async verify(arn: string): Promise<{ valid: boolean; eventCount: number }> {
    const response = await this.expectStatus(
      this.request('GET', `/executions/${enc(arn)}/verify`),
      `verify ${arn}`,
      200,
    );
    return response.body as { valid: boolean; eventCount: number };
  }

  /** How many executions of a state machine have a status (all of them, across pages). */
  async countExecutions(stateMachineArn: string, status: ExecutionDescription['status']): Promise<number> {
    let count = 0;
    let nextToken: string | undefined;
    do {
      const query = `stateMachineArn=${enc(stateMachineArn)}&statusFilter=${status}&maxResults=1000${
        nextToken === undefined ? '' : `&nextToken=${enc(nextToken)}`
      }`;
      const response = await this.expectStatus(this.request('GET', `/executions?${query}`), 'ListExecutions', 200);
      count += (response.body.executions as unknown[]).length;
      nextToken = response.body.nextToken as string | undefined;
    } while (nextToken !== undefined);
    return count;
  }
}
