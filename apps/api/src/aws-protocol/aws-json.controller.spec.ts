import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiTestApp, startApiTestApp, type TestResponse } from '../testing/api-test-app';
import { accessKeyIdOf } from './aws-credential.middleware';
import { AwsJsonController } from './aws-json.controller';
import { AWS_JSON_CONTENT_TYPE } from './aws-json.protocol';

const PASS = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

/** What the AWS SDKs sign with: `Authorization: AWS4-HMAC-SHA256 Credential=<key id>/<scope>, …`. */
const sigV4 = (accessKeyId: string) =>
  `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261126/us-east-1/states/aws4_request, ` +
  'SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=' +
  '0'.repeat(64);

describe(AwsJsonController.name, () => {
  let sut: ApiTestApp;

  afterEach(async () => {
    await sut?.close();
  });

  /** A call as the SDKs send it: POST /, the action in X-Amz-Target, a JSON 1.0 body. */
  const call = (action: string | undefined, body: unknown = {}, headers: Record<string, string> = {}) =>
    sut.request('POST', '/', typeof body === 'string' ? body : JSON.stringify(body), {
      'content-type': AWS_JSON_CONTENT_TYPE,
      ...(action === undefined ? {} : { 'x-amz-target': `AWSStepFunctions.${action}` }),
      ...headers,
    });

  const expectError = (response: TestResponse, status: number, type: string) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain(AWS_JSON_CONTENT_TYPE);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body).toEqual({ __type: type, message: expect.any(String) });
  };

  describe('the protocol', () => {
    it('answers in JSON 1.0 with a request id, and dates as epoch seconds', async () => {
      sut = await startApiTestApp();
      const before = Date.now() / 1000;
      const created = await call('CreateStateMachine', { name: 'Hello', definition: PASS });
      expect(created.status).toBe(200);
      expect(created.headers.get('content-type')).toContain(AWS_JSON_CONTENT_TYPE);
      expect(created.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.body).toEqual({
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Hello',
        creationDate: expect.any(Number),
      });
      expect(created.body.creationDate).toBeGreaterThanOrEqual(Math.floor(before));
      expect(created.body.creationDate).toBeLessThan(before + 60);

      const started = await call('StartExecution', { stateMachineArn: created.body.stateMachineArn, input: '{"a":1}' });
      const history = await call('GetExecutionHistory', { executionArn: started.body.executionArn });
      expect(history.body.events.map((e: { timestamp: unknown }) => typeof e.timestamp)).toEqual(
        Array(4).fill('number'),
      );
      const lean = await call('GetExecutionHistory', {
        executionArn: started.body.executionArn,
        includeExecutionData: false,
      });
      expect(lean.body.events[0]).toEqual({
        timestamp: history.body.events[0].timestamp,
        type: 'ExecutionStarted',
        id: 1,
        previousEventId: 0,
        executionStartedEventDetails: { roleArn: 'arn:aws:iam::123456789012:role/StepFunctionsLocalRole' },
      });
      expect(lean.body.events[3]).toEqual({ ...history.body.events[3], executionSucceededEventDetails: {} });
    });

    it('names an action it does not answer, or a missing X-Amz-Target, as UnknownOperationException', async () => {
      sut = await startApiTestApp();
      const unknown = await call('CreateStateMachineAlias', { name: 'x' });
      expectError(unknown, 400, 'UnknownOperationException');
      expect(unknown.body.message).toContain("'AWSStepFunctions.CreateStateMachineAlias'");
      expectError(await call(undefined), 400, 'UnknownOperationException');
      expectError(
        await call(undefined, {}, { 'x-amz-target': 'DynamoDB_20120810.ListTables' }),
        400,
        'UnknownOperationException',
      );
    });

    it('refuses a body that is not JSON with SerializationException, in the protocol’s shape', async () => {
      sut = await startApiTestApp();
      expectError(await call('ListStateMachines', '{"maxResults":'), 400, 'SerializationException');
      expectError(await call('ListStateMachines', '[1, 2]'), 400, 'ValidationException');
    });

    it('checks the types of the members it knows, and ignores those it does not', async () => {
      sut = await startApiTestApp();
      const wrong = await call('ListStateMachines', { maxResults: 'ten' });
      expectError(wrong, 400, 'ValidationException');
      expect(wrong.body.message).toContain("'maxResults' must be an integer");
      expectError(await call('CreateStateMachine', { definition: PASS }), 400, 'ValidationException');

      // Members of newer API versions or of features this engine does not have (logging, tracing, versions).
      const created = await call('CreateStateMachine', {
        name: 'Newer',
        definition: PASS,
        loggingConfiguration: { level: 'OFF' },
        tracingConfiguration: { enabled: false },
        publish: false,
        someFutureMember: { nested: true },
      });
      expect(created.status).toBe(200);
      // An empty body is an empty request.
      const listed = await sut.request('POST', '/', undefined, {
        'x-amz-target': 'AWSStepFunctions.ListStateMachines',
      });
      expect(listed.body.stateMachines).toHaveLength(1);
    });

    it('answers whatever host the request was sent to, so a sync- host prefix does no harm', async () => {
      sut = await startApiTestApp();
      const { port } = new URL(sut.url);
      const body = JSON.stringify({});
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/',
            headers: {
              host: `sync-states.us-east-1.amazonaws.com:${port}`,
              'content-type': AWS_JSON_CONTENT_TYPE,
              'x-amz-target': 'AWSStepFunctions.ListActivities',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.once('error', reject);
        req.end(body);
      });
      expect(answer).toEqual({ status: 200, body: '{"activities":[]}' });
    });

    it('answers client errors with 400, whatever status the REST API gives the same error', async () => {
      sut = await startApiTestApp();
      const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:Missing';
      expectError(await call('DescribeStateMachine', { stateMachineArn: arn }), 400, 'StateMachineDoesNotExist');
      expect((await sut.request('GET', `/state-machines/${encodeURIComponent(arn)}`)).status).toBe(404);
      await call('CreateStateMachine', { name: 'Twice', definition: PASS });
      expectError(
        await call('CreateStateMachine', { name: 'Twice', definition: PASS.replaceAll('"P"', '"Q"') }),
        400,
        'StateMachineAlreadyExists',
      );
    });

    it('keeps the REST API as it was next to it', async () => {
      sut = await startApiTestApp();
      await call('CreateStateMachine', { name: 'Shared', definition: PASS });
      const listed = await sut.request('GET', '/state-machines');
      expect(listed.status).toBe(200);
      expect(listed.body.stateMachines.map((m: { name: string }) => m.name)).toEqual(['Shared']);
      expect((await sut.request('POST', '/state-machines', { name: 'Rest', definition: PASS })).status).toBe(201);
      // GET / is the dashboard's (or a 404 when it is not built), never a call of the protocol.
      const root = await sut.request('GET', '/');
      expect(root.headers.get('x-amzn-requestid')).toBeNull();
      expect(root.headers.get('content-type')).not.toMatch(/x-amz-json/);
      expect((await sut.request('GET', '/health')).status).toBe(200);
    });
  });

  describe('credentials', () => {
    const API_TOKEN = 'the-token';

    it('accepts any credentials, or none, without API_TOKEN', async () => {
      sut = await startApiTestApp();
      expect((await call('ListStateMachines')).status).toBe(200);
      expect((await call('ListStateMachines', {}, { authorization: sigV4('anything') })).status).toBe(200);
    });

    it('with API_TOKEN, wants it as the SigV4 access key id, before reading the body', async () => {
      sut = await startApiTestApp({ env: { API_TOKEN } });
      expect((await call('ListStateMachines', {}, { authorization: sigV4(API_TOKEN) })).status).toBe(200);
      // A presigned URL carries the credential in its query.
      const presigned = await sut.request(
        'POST',
        `/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${API_TOKEN}%2F20261126%2Fus-east-1%2Fstates%2Faws4_request`,
        '{}',
        { 'content-type': AWS_JSON_CONTENT_TYPE, 'x-amz-target': 'AWSStepFunctions.ListStateMachines' },
      );
      expect(presigned.status).toBe(200);

      expectError(await call('ListStateMachines'), 400, 'MissingAuthenticationTokenException');
      expectError(
        await call('ListStateMachines', {}, { authorization: `Bearer ${API_TOKEN}` }),
        400,
        'MissingAuthenticationTokenException',
      );
      expectError(
        await call('ListStateMachines', {}, { authorization: sigV4('AKIAIOSFODNN7EXAMPLE') }),
        400,
        'UnrecognizedClientException',
      );
      // Refused before the body is read: a body that is not even JSON gets the credential error.
      expectError(
        await call('ListStateMachines', 'not json', { authorization: sigV4('wrong') }),
        400,
        'UnrecognizedClientException',
      );
    });

    it('with API_TOKEN, leaves the REST API to its bearer token', async () => {
      sut = await startApiTestApp({ env: { API_TOKEN } });
      expect((await sut.request('GET', '/state-machines', undefined, { authorization: sigV4(API_TOKEN) })).status).toBe(
        401,
      );
      expect(
        (await sut.request('GET', '/state-machines', undefined, { authorization: `Bearer ${API_TOKEN}` })).status,
      ).toBe(200);
      expect((await sut.request('GET', '/health')).status).toBe(200);
    });
  });

  describe(accessKeyIdOf.name, () => {
    const of = (authorization: string | undefined, originalUrl = '/') =>
      accessKeyIdOf({ headers: authorization === undefined ? {} : { authorization }, originalUrl });

    it('reads the access key id of a SigV4 Authorization header or presigned query', () => {
      expect(of(sigV4('AKID'))).toBe('AKID');
      expect(of('AWS4-HMAC-SHA256 SignedHeaders=host, Credential=KEY/20261126/x/states/aws4_request')).toBe('KEY');
      expect(of(undefined, '/?X-Amz-Credential=Q%2F20261126%2Fus-east-1%2Fstates%2Faws4_request')).toBe('Q');
    });

    it('finds none in a bearer token, a SigV2 header or an empty credential', () => {
      expect(of('Bearer AKID')).toBeUndefined();
      expect(of('AWS AKID:signature')).toBeUndefined();
      expect(of('AWS4-HMAC-SHA256 Credential=/20261126/us-east-1/states/aws4_request')).toBeUndefined();
      expect(of(undefined, '/?X-Amz-Credential=')).toBeUndefined();
      expect(of(undefined)).toBeUndefined();
    });
  });
});
