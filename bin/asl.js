#!/usr/bin/env node
'use strict';
// The CLI is bundled into one file by `npm run build` (run by `npm ci`/`npm install` through `prepare`).
let cli;
try {
  ({ cli } = require('../dist/cli/asl.js'));
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('dist/cli/asl.js')) {
    process.stderr.write('asl: the CLI is not built yet: run "npm run build" (or "npm ci") in the project first.\n');
    process.exit(2);
  }
  throw e;
}
cli();
