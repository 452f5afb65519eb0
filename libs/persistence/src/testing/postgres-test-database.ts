import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server the Postgres tests use: CI and development machines run one on 127.0.0.1:5432 with trust auth. */
export const TEST_POSTGRES_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database made for one test run, dropped afterwards. */
export interface TestDatabase {
  readonly url: string;
  /** Runs one statement as the superuser on its own connection. */
  query(statement: string, params?: readonly unknown[]): Promise<void>;
  drop(): Promise<void>;
}

/**
 * Creates a fresh database `asl_test_<random>`. When the server cannot be reached this fails with one line naming
 * what is missing: the tests must fail, never skip, when Postgres is absent.
 */
export async function createTestDatabase(serverUrl = TEST_POSTGRES_URL): Promise<TestDatabase> {
  const server = new URL(serverUrl);
  const admin = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(
      `Postgres is not reachable at ${server.hostname}:${server.port || 5432} as user '${server.username}' (${(e as Error).message}): ` +
        'start it (npm test does when it is installed) or point TEST_POSTGRES_URL at one',
      { cause: e },
    );
  }
  const name = `asl_test_${randomBytes(6).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async query(statement, params = []) {
      const client = new Client({ connectionString: url.toString() });
      await client.connect();
      try {
        await client.query(statement, [...params]);
      } finally {
        await client.end();
      }
    },
    async drop() {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
