// @ts-check
import tseslint from 'typescript-eslint';

/**
 * Imports point one way: main → http → engines/platform → shared (ARCHITECTURE.md, rule 2).
 * Engines (flight/, supply/) are pure: no fastify, pg, nats, pino, and no platform adapters.
 */
const engineBans = {
  patterns: [
    { group: ['fastify', '@fastify/*', 'pg', 'nats', 'pino', 'ioredis', 'graphile-worker'], message: 'Engines are pure: receive ports as parameters.' },
    { group: ['**/platform/**', '**/http/**', '**/main/**'], message: 'Engines must not import platform, http or main.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'web/**', 'test-output/**', 'bin/**', 'eslint.config.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      // fastify handlers and plugins are async by contract, whether or not they await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['src/flight/**/*.ts', 'src/supply/**/*.ts'], ignores: ['**/*.test.ts'], rules: { 'no-restricted-imports': ['error', engineBans] } },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/platform/**', '**/http/**', '**/main/**', '**/flight/**', '**/supply/**'], message: 'shared/ depends on nothing else.' }] }] },
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/http/**', '**/main/**'], message: 'platform/ must not import http or main.' }] }] },
  },
  {
    files: ['src/http/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/main/**'], message: 'http/ must not import main.' }] }] },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
