import { createExecutionStore } from '@lib/persistence';
import { createWorkQueue } from '@lib/queue';
import { describeDurableDriver } from './durable-driver.contract';

describeDurableDriver({
  name: 'the in-memory store and the in-process queue',
  async openStore() {
    const { store } = await createExecutionStore({ kind: 'memory' });
    return { store, dispose: () => store.close() };
  },
  async openQueue() {
    const queue = createWorkQueue({ kind: 'in-process' });
    return { queue, dispose: () => queue.close() };
  },
});
