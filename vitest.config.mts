import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@lib/asl': root('./libs/asl/src/index.ts'),
      '@lib/engine': root('./libs/engine/src/index.ts'),
      '@lib/service': root('./libs/service/src/index.ts'),
      '@lib/queue': root('./libs/queue/src/index.ts'),
      '@lib/persistence': root('./libs/persistence/src/index.ts'),
    },
  },
  test: {
    include: ['libs/**/*.spec.ts', 'apps/**/*.spec.ts', 'test/**/*.spec.ts', 'asl-examples/**/*.spec.ts'],
    pool: 'threads',
    testTimeout: 30_000,
  },
});
