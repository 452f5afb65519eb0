import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerInvoker } from './handler-task-invoker';
import { createHttpInvoker, withHttpInvoker } from './http-task-invoker';
import { TaskFailure, type TaskRequest } from './task-invoker';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/missing') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"no such account"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, query: Object.fromEntries(url.searchParams), body: body ? JSON.parse(body) : null, auth: req.headers['x-api-key'] ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function request(input: TaskRequest['input']): TaskRequest {
  return { resource: 'arn:aws:states:::http:invoke', input, stateName: 'Call', context: {}, signal: new AbortController().signal };
}

describe(createHttpInvoker.name, () => {
  const sut = createHttpInvoker();

  it('sends the described request and returns the HTTP task result shape', async () => {
    const result = (await sut(
      request({
        ApiEndpoint: `${base}/accounts`,
        Method: 'POST',
        Headers: { 'x-api-key': 'k1' },
        QueryParameters: { region: 'eu' },
        RequestBody: { holder: 'Ada' },
      }),
    )) as Record<string, unknown>;
    expect(result['StatusCode']).toBe(200);
    expect(result['ResponseBody']).toEqual({ method: 'POST', query: { region: 'eu' }, body: { holder: 'Ada' }, auth: 'k1' });
  });

  it('fails with States.Http.StatusCode.<code> outside 2xx', async () => {
    await expect(sut(request({ ApiEndpoint: `${base}/missing`, Method: 'GET' }))).rejects.toMatchObject({
      error: 'States.Http.StatusCode.404',
    });
  });

  it('refuses a request without an http(s) endpoint', async () => {
    await expect(sut(request({ ApiEndpoint: 'ftp://x', Method: 'GET' }))).rejects.toBeInstanceOf(TaskFailure);
  });

  it('routes http:invoke to HTTP and everything else to the handlers', async () => {
    const invoker = withHttpInvoker(createHandlerInvoker({ Local: () => 'handled' }));
    await expect(invoker({ ...request(null), resource: 'Local' })).resolves.toBe('handled');
    await expect(invoker(request({ ApiEndpoint: `${base}/x`, Method: 'GET' }))).resolves.toMatchObject({ StatusCode: 200 });
  });
});
