// Bundles the `asl` CLI into one CommonJS file: one file to parse means a fast cold start.
import { build } from 'esbuild';

await build({
  entryPoints: ['apps/cli/src/main.ts'],
  outfile: 'dist/cli/asl.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  tsconfig: 'tsconfig.json',
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});
