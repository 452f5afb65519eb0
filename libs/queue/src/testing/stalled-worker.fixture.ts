/**
 * A worker process for the stalled-job spec: it takes one job, says so on stdout, and hangs in the handler until
 * the spec kills it with SIGKILL, as a crashed worker would leave its job: active, with a lock nobody renews.
 */
import { JobName } from '@lib/engine';
import { BullMqWorkQueue } from '../bullmq-work-queue';

const url = process.env['REDIS_URL'];
const prefix = process.env['QUEUE_PREFIX'];
if (!url || !prefix) throw new Error('stalled-worker.fixture needs REDIS_URL and QUEUE_PREFIX');

const queue = new BullMqWorkQueue({ url, prefix, lockDurationMs: 1_000, stalledIntervalMs: 500 });
const hang = (data: { readonly executionArn: string }): Promise<void> => {
  process.stdout.write(`started ${data.executionArn}\n`);
  return new Promise<void>(() => undefined);
};
queue
  .process(
    { [JobName.AdvanceExecution]: hang, [JobName.InvokeTask]: hang, [JobName.FireTimer]: hang },
    { concurrency: 1 },
  )
  .then(() => process.stdout.write('ready\n'))
  .catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
