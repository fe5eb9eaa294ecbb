// @ts-check
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
// Server-side packages that have no business in a browser bundle.
const nodeOnlyPackages = ['ws', 'better-sqlite3', 'conf', 'electron-store', 'pino', 'xmlbuilder2'];
const electronImport = { name: 'electron', message: 'Only electron/ and preload/ may import Electron (DESIGN.md section 2).' };

/** Layering of DESIGN.md section 2, checked by the linter (tests/unit/layering.test.ts checks it again on raw text). */
const layering = [
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    ignores: ['electron/**', 'preload/**', 'tests/unit/electron/**', 'tests/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronImport] }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport, ...[...nodeBuiltins, ...nodeOnlyPackages].map((name) => ({ name, message: 'renderer/ runs in the browser: no Node modules.' }))],
          patterns: [
            { group: ['**/main/**', '**/server/**', '**/aiml/**', '**/electron/**', '**/preload/**', '**/node-lib/**'], message: 'renderer/ talks to main only through the Studio API (protocol/).' },
          ],
        },
      ],
    },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport, ...nodeBuiltins.map((name) => ({ name, message: 'protocol/ is shared with the renderer: no Node modules.' }))],
          patterns: [{ group: ['../*', '../**'], message: 'protocol/ imports nothing of ours (DESIGN.md section 2).' }],
        },
      ],
    },
  },
  {
    files: ['node-lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronImport], patterns: [{ group: ['../*', '../**'], message: 'node-lib/ holds Node-only utilities and imports nothing of ours.' }] },
      ],
    },
  },
  {
    files: ['aiml/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronImport], patterns: [{ group: ['**/server/**', '**/main/**', '**/renderer/**', '**/electron/**', '**/protocol/**'], message: 'aiml/ is a standalone engine (node-lib/ is the only folder of ours it may use).' }] },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronImport], patterns: [{ group: ['**/main/**', '**/renderer/**', '**/electron/**'], message: 'server/ depends only on aiml/ and protocol/.' }] },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // Type-aware rules: a promise nobody awaits or catches loses its failure silently, and a switch that misses
    // a case of a union compiles without a word. Only TS files have the types these rules need.
    files: ['**/*.{ts,tsx,mts,cts}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    files: ['preload/**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...layering,
);
