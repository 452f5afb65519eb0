/**
 * A small JSON client for the service's REST API on keep-alive sockets. Plain node:http rather than fetch: the
 * benchmark shares the machine's two cores with the API, the workers, Postgres and Redis, so every bit of CPU the
 * client spends per request is taken from the service being measured.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

/**
 * Idle sockets are closed before the server's keep-alive timeout (Node's default, 5 s) closes them: a request sent on
 * a socket the server is closing at that instant fails with ECONNRESET.
 */
const IDLE_SOCKET_MS = 4_000;

/** The answer to one request: status and parsed JSON body. */
export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
}

/** DescribeExecution's fields that the benchmark reads. */
export interface ExecutionDescription {
  readonly executionArn: string;
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly startDate: string;
  readonly stopDate?: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

export class ApiClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets = 256) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets, timeout: IDLE_SOCKET_MS });
  }

  async createStateMachine(name: string, definition: unknown): Promise<string> {
    const { body } = await this.send<{ stateMachineArn: string }>('POST', '/state-machines', { name, definition }, 201);
    return body.stateMachineArn;
  }

  /**
   * StartExecution; returns the new execution's ARN. The client names the execution, which makes the request safe
   * to send twice (the same name and input give the same execution): see send().
   */
  async startExecution(stateMachineArn: string, input: unknown): Promise<string> {
    const { body } = await this.send<{ executionArn: string }>(
      'POST',
      '/executions',
      { stateMachineArn, input: JSON.stringify(input), name: randomUUID() },
      201,
    );
    return body.executionArn;
  }

  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    return (
      await this.send<ExecutionDescription>('GET', `/executions/${encodeURIComponent(executionArn)}`, undefined, 200)
    ).body;
  }

  /** Every execution of a state machine with the given status, or of any status, following nextToken. */
  async listExecutions(
    stateMachineArn: string,
    statusFilter?: ExecutionDescription['status'],
  ): Promise<ExecutionDescription[]> {
    const found: ExecutionDescription[] = [];
    let nextToken: string | undefined;
    do {
      const query = new URLSearchParams({ stateMachineArn, maxResults: '1000' });
      if (statusFilter !== undefined) query.set('statusFilter', statusFilter);
      if (nextToken !== undefined) query.set('nextToken', nextToken);
      const { body } = await this.send<{ executions: ExecutionDescription[]; nextToken?: string }>(
        'GET',
        `/executions?${query.toString()}`,
        undefined,
        200,
      );
      found.push(...body.executions);
      nextToken = body.nextToken;
    } while (nextToken !== undefined);
    return found;
  }

  async health(): Promise<boolean> {
    try {
      return (await this.send('GET', '/health', undefined)).status === 200;
    } catch {
      return false;
    }
  }

  close(): void {
    this.agent.destroy();
  }

  /**
   * One request. A kept-alive socket the server closed just as it was reused fails with ECONNRESET before the server
   * read anything; the request is then sent once more on a new socket, as Node's documentation advises. Every request
   * this client makes may be repeated: reads, and starts of named executions.
   */
  private async send<T>(method: string, path: string, body: unknown, expected?: number): Promise<ApiResponse<T>> {
    try {
      return await this.sendOnce<T>(method, path, body, expected);
    } catch (e) {
      if ((e as { reusedSocketReset?: boolean }).reusedSocketReset !== true) throw e;
      return this.sendOnce<T>(method, path, body, expected);
    }
  }

  private sendOnce<T>(method: string, path: string, body: unknown, expected?: number): Promise<ApiResponse<T>> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers:
            payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': payload.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (expected !== undefined && status !== expected) {
              reject(new Error(`${method} ${path.split('?')[0]} answered ${status}: ${text.slice(0, 300)}`));
              return;
            }
            try {
              resolve({ status, body: (text === '' ? undefined : JSON.parse(text)) as T });
            } catch (e) {
              reject(new Error(`${method} ${path}: unparsable body (${(e as Error).message})`));
            }
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          req.reusedSocket && error.code === 'ECONNRESET' ? Object.assign(error, { reusedSocketReset: true }) : error,
        ),
      );
      req.end(payload);
    });
  }
}
