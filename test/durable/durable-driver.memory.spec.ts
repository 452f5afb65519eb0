import { createExecutionStore } from '@lib/persistence';
import { createWorkQueue } from '@lib/queue';
import { describeDurableDriver } from './durable-driver.contract';

describeDurableDriver({
  name: 'the in-memory store and the in-process queue',
  async open() {
    const { store } = await createExecutionStore({ kind: 'memory' });
    const queue = createWorkQueue({ kind: 'in-process' });
    return {
      store,
      queue,
      async dispose() {
        await queue.close();
        await store.close();
      },
    };
  },
});
