import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestApp, startApiTestApp } from '../testing/api-test-app';
import { serveDashboard } from './dashboard-static';

const TOKEN = 'let-me-in';
const INDEX =
  '<!doctype html><title>ASL dashboard</title><script type="module" src="/assets/index-B4x9k2.js"></script>';
const SCRIPT = 'console.log("dashboard");';
const SECRET = 'not for the browser';

/**
 * A request sent exactly as written: fetch would resolve `..` in the path before sending, and adds
 * `Cache-Control: no-cache` to a conditional request.
 */
function rawRequest(
  url: string,
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** An AWS JSON 1.0 call, signed as the SDKs sign it (the access key id is what the API checks). */
function awsCall(sut: ApiTestApp, action: string, accessKeyId?: string) {
  return sut.request('POST', '/', '{}', {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `AWSStepFunctions.${action}`,
    ...(accessKeyId === undefined
      ? {}
      : {
          authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20300101/us-east-1/states/aws4_request, SignedHeaders=host, Signature=00`,
        }),
  });
}

describe(serveDashboard.name, () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'asl-dashboard-'));
    const dir = join(root, 'dashboard');
    mkdirSync(join(dir, 'assets', 'nested'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-B4x9k2.js'), SCRIPT);
    writeFileSync(join(dir, 'assets', '.env'), SECRET);
    writeFileSync(join(dir, 'secret.txt'), SECRET);
    writeFileSync(join(root, 'outside.txt'), SECRET);
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  describe('with the dashboard built and API_TOKEN set', () => {
    let sut: ApiTestApp;
    beforeAll(async () => {
      sut = await startApiTestApp({ env: { API_TOKEN: TOKEN, DASHBOARD_DIR: join(root, 'dashboard') } });
    });
    afterAll(async () => {
      await sut.close();
    });

    it('serves index.html at / without the token, revalidated at every load', async () => {
      const index = await sut.request('GET', '/');
      expect(index.status).toBe(200);
      expect(index.body).toBe(INDEX);
      expect(index.headers.get('content-type')).toMatch(/^text\/html/);
      expect(index.headers.get('cache-control')).toBe('no-cache');

      const etag = index.headers.get('etag') as string;
      expect((await rawRequest(sut.url, '/', 'GET', { 'if-none-match': etag })).status).toBe(304);
      expect((await sut.request('GET', '/?from=bookmark')).body).toBe(INDEX);
      const head = await sut.request('HEAD', '/');
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
    });

    it('serves the hashed assets without the token, cached for a year', async () => {
      const script = await sut.request('GET', '/assets/index-B4x9k2.js');
      expect(script.status).toBe(200);
      expect(script.body).toBe(SCRIPT);
      expect(script.headers.get('content-type')).toMatch(/javascript/);
      expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await sut.request('HEAD', '/assets/index-B4x9k2.js')).status).toBe(200);
    });

    it('answers a missing asset with 404 in the API’s error shape, not 401', async () => {
      const missing = await sut.request('GET', '/assets/index-0ld.js');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ __type: 'UnknownOperationException', message: expect.any(String) });
    });

    it('keeps every API route behind the token', async () => {
      for (const path of ['/state-machines', '/executions', '/activities', '/no/such/route']) {
        const refused = await sut.request('GET', path);
        expect(refused.status).toBe(401);
        expect(refused.body.__type).toBe('UnrecognizedClientException');
      }
      expect(
        (await sut.request('GET', '/state-machines', undefined, { authorization: `Bearer ${TOKEN}` })).status,
      ).toBe(200);
      // Only reading is open: anything else under /assets/ is an API request like any other.
      expect((await sut.request('POST', '/assets/index-B4x9k2.js', {})).status).toBe(401);
      expect((await sut.request('DELETE', '/assets/index-B4x9k2.js')).status).toBe(401);
    });

    it('leaves POST / to the AWS JSON protocol, with its own credentials', async () => {
      const listed = await awsCall(sut, 'ListStateMachines', TOKEN);
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual({ stateMachines: [] });
      expect(listed.headers.get('content-type')).toMatch(/^application\/x-amz-json-1\.0/);

      const unsigned = await awsCall(sut, 'ListStateMachines');
      expect(unsigned.status).toBe(400);
      expect(unsigned.body.__type).toBe('MissingAuthenticationTokenException');
      expect((await awsCall(sut, 'ListStateMachines', 'wrong')).body.__type).toBe('UnrecognizedClientException');
    });

    it.each([
      '/index.html',
      '/secret.txt',
      '/assets',
      '/assets/',
      '/assets/nested',
      '/assets/nested/',
      '/assets/.env',
      '/assets/../secret.txt',
      '/assets/%2e%2e/secret.txt',
      '/assets/..%2fsecret.txt',
      '/assets/nested/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/outside.txt',
      '/assets/..%5c..%5coutside.txt',
      '/assets/%252e%252e/secret.txt',
    ])('serves nothing of the directory outside / and /assets/ files: %s', async (path) => {
      for (const method of ['GET', 'HEAD']) {
        const response = await rawRequest(sut.url, path, method);
        expect([401, 403, 404]).toContain(response.status);
        expect(response.body).not.toContain(SECRET);
      }
    });
  });

  describe('without a built dashboard', () => {
    let sut: ApiTestApp;
    beforeAll(async () => {
      sut = await startApiTestApp({ env: { DASHBOARD_DIR: join(root, 'not-built') } });
    });
    afterAll(async () => {
      await sut.close();
    });

    it('answers GET / with 404 saying to build it, and POST / is still the AWS protocol', async () => {
      const index = await sut.request('GET', '/');
      expect(index.status).toBe(404);
      expect(index.body).toEqual({ __type: 'DashboardNotBuilt', message: expect.stringContaining('npm run build') });
      expect((await sut.request('GET', '/assets/index-B4x9k2.js')).status).toBe(404);

      const listed = await awsCall(sut, 'ListStateMachines');
      expect(listed).toMatchObject({ status: 200, body: { stateMachines: [] } });
    });
  });
});
