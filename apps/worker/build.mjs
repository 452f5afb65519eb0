// The worker's entry point.
import { buildApp } from '../../scripts/build-app.mjs';

await buildApp('worker', ['main']);
