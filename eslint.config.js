// Lint rules for every workspace: typescript-eslint's recommended set plus the house rules that
// keep boundaries honest (STYLE.md §1–2): no deep imports into the kit, no process.env outside config.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/coverage/**', '**/node_modules/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@cartwheel/kit/src/*', '@cartwheel/*/src/*'],
              message: 'Import the package through its exports.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['koa', '@koa/router', 'kafkajs', 'knex', 'mongodb', 'pg'],
          message: 'The domain does no I/O (STYLE.md §2).',
        },
      ],
    },
  },
);
