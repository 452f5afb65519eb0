// Writes libs/asl/src/validation/generated/asl-schema.validate.ts: the ASL schema's validator, compiled ahead of
// time by ajv's standalone code generation so that neither the CLI nor the service compiles it at start-up.
// Usage: node scripts/generate-asl-schema-validator.mjs [--check]
//   --check  write nothing; exit 1 if the checked-in file differs from what the schema generates now.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const validationDir = join(root, 'libs', 'asl', 'src', 'validation');
// The generator is TypeScript (it imports the schema, which is TypeScript); tsx loads it without a build step.
const { generateSchemaValidatorModule, GENERATED_SCHEMA_VALIDATOR_PATH } = await tsImport(
  '../libs/asl/src/validation/schema-validator.codegen.ts',
  import.meta.url,
);
const target = join(validationDir, GENERATED_SCHEMA_VALIDATOR_PATH);
const text = await generateSchemaValidatorModule(target);
const shown = relative(root, target);

if (process.argv.includes('--check')) {
  let current;
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== text) {
    console.error(`${shown} is stale: run "npm run generate:schema" and commit the result.`);
    process.exit(1);
  }
  console.log(`${shown} is up to date.`);
} else {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`Wrote ${shown} (${Math.round(text.length / 1024)} KiB).`);
}
