// Lint rules for every workspace: typescript-eslint's recommended set plus the house rules that
// keep boundaries honest (STYLE.md §1–2): no deep imports into the kit, no process.env outside config.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const packageExports = {
  group: ['@cartwheel/kit/src/*', '@cartwheel/*/src/*'],
  message: 'Import the package through its exports.',
};
const ioLibraries = ['koa', '@koa/router', 'kafkajs', 'knex', 'mongodb', 'pg', 'ioredis'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/coverage/**', '**/node_modules/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { patterns: [packageExports] }],
    },
  },
  {
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      // ESLint 10 wants a message per path; the override replaces the rule, so keep the patterns.
      'no-restricted-imports': [
        'error',
        {
          patterns: [packageExports],
          paths: ioLibraries.map((name) => ({ name, message: 'The domain does no I/O (STYLE.md §2).' })),
        },
      ],
    },
  },
);
