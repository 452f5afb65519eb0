// Bundles a Nest app's entry points into CommonJS files under dist/<app>: our code (the @lib/* aliases resolved
// through tsconfig.json, legacy decorators compiled as tsc compiles them) in one file per entry, node_modules left
// external. Files are written to a temporary name and renamed, so processes started together may all build safely.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { build } from 'esbuild';

/** Builds `dist/<app>/<entry>.js` from `apps/<app>/src/<entry>.ts` for each entry. */
export async function buildApp(app, entries) {
  const { outputFiles } = await build({
    entryPoints: Object.fromEntries(entries.map((entry) => [entry, `apps/${app}/src/${entry}.ts`])),
    outdir: `dist/${app}`,
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    tsconfig: 'tsconfig.json',
    sourcemap: 'linked',
    logLevel: 'warning',
    write: false,
  });
  for (const file of outputFiles) {
    await mkdir(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
}
