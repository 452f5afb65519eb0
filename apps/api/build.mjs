// The API's entry points: the API alone (main) and API + worker in one process (standalone, `npm start`).
import { buildApp } from '../../scripts/build-app.mjs';

await buildApp('api', ['main', 'standalone']);
