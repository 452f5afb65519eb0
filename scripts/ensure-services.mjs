// Makes sure Postgres (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer before the tests run: starts them with the
// machine's own commands when they are installed but stopped, or fails with one line naming what is missing.
// DATABASE_URL / REDIS_URL point the tests elsewhere; then nothing is started.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';

const services = [
  {
    name: 'Postgres',
    url: process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    start() {
      if (!existsSync('/etc/postgresql')) return 'Postgres is not installed (no /etc/postgresql): install it (apt-get install postgresql) or set DATABASE_URL';
      const version = readdirSync('/etc/postgresql')[0];
      execSync(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`, { stdio: 'ignore' });
      return undefined;
    },
  },
  {
    name: 'Redis',
    url: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    start() {
      try {
        execSync('command -v redis-server', { stdio: 'ignore', shell: '/bin/sh' });
      } catch {
        return 'Redis is not installed (no redis-server): install it (apt-get install redis-server) or set REDIS_URL';
      }
      execSync('mkdir -p /var/lib/redis /var/log/redis', { stdio: 'ignore', shell: '/bin/sh' });
      execSync(
        'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
        { stdio: 'ignore', shell: '/bin/sh' },
      );
      return undefined;
    },
  },
];

function listening(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port) }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function waitFor(url, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await listening(url)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

let failed = false;
for (const service of services) {
  if (await listening(service.url)) continue;
  const isLocal = ['127.0.0.1', 'localhost', '::1'].includes(new URL(service.url).hostname);
  let problem = isLocal ? undefined : `${service.name} at ${service.url} does not answer`;
  if (!problem) {
    try {
      problem = service.start();
    } catch (e) {
      problem = `${service.name} is not listening at ${service.url} and could not be started: ${String(e.message).split('\n')[0]}`;
    }
  }
  if (!problem && !(await waitFor(service.url, 20))) problem = `${service.name} was started but does not answer at ${service.url}`;
  if (problem) {
    console.error(`ensure-services: ${problem}`);
    failed = true;
  } else {
    console.error(`ensure-services: started ${service.name}`);
  }
}
process.exit(failed ? 1 : 0);
