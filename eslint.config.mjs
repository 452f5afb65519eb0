// @ts-check
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-output/**', '**/*.mjs', 'bin/**', 'vitest.config.mts', 'apps/dashboard/vite.config.mts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Example handler modules are plain CommonJS for Node, loadable by `asl run --handlers` without a build.
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', process: 'readonly', setImmediate: 'readonly', setTimeout: 'readonly', console: 'readonly', __dirname: 'readonly' },
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['apps/dashboard/src/**/*.tsx', 'apps/dashboard/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // The language core is pure: no framework, database, queue or I/O. The engine and the apps bring those.
    files: ['libs/asl/src/**/*.ts'],
    ignores: ['libs/asl/src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'bullmq', 'ioredis', 'pg', 'pg/*', 'better-sqlite3'], message: 'libs/asl must stay pure: no framework, database or queue.' },
            { group: ['node:*', 'fs', 'net', 'http', 'https', 'child_process', 'crypto'], message: 'libs/asl must stay pure: no I/O or platform modules; take what you need as a port.' },
            { group: ['@lib/engine', '@lib/engine/*'], message: 'Dependencies point one way: asl ← engine.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Randomness comes in through ports.random().' },
        { object: 'Date', property: 'now', message: 'Time comes in through ports.now().' },
      ],
    },
  },
);
