import { createExecutionStore } from '@lib/persistence';
import { createWorkQueue } from '@lib/queue';
import { describeSfnClientSuite } from './sfn-client.suite';

describeSfnClientSuite({
  name: 'the in-memory store and the in-process queue',
  async open() {
    const { store } = await createExecutionStore({ kind: 'memory' });
    const queue = createWorkQueue({ kind: 'in-process', retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 50 } });
    // The app closes both when it closes.
    return { store, queue, dispose: async () => undefined };
  },
});
