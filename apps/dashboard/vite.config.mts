import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * The dashboard is a static single-page app the API serves at `/` (files under `/assets/`), so it is built into
 * dist/dashboard. `npm run dev:dashboard` serves it with hot reload and proxies the REST API to a running service.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: { alias: { '@lib/asl': here('../../libs/asl/src/index.ts') } },
  build: { outDir: here('../../dist/dashboard'), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 2048 },
  server: {
    proxy: Object.fromEntries(
      ['/state-machines', '/executions', '/tasks', '/health'].map((path) => [
        path,
        process.env.API_URL ?? 'http://127.0.0.1:3000',
      ]),
    ),
  },
});
