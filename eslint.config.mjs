// Lint for the project's own code: ESLint's and typescript-eslint's recommended rules, without
// type information (fast enough for every test run), and the habits the code already keeps.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/out/**', 'node_modules/**', 'test/vscode/.tools/**', 'test/vscode/out/**', 'bench/work/**', '.engine/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', URL: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', structuredClone: 'readonly', performance: 'readonly', AbortController: 'readonly', queueMicrotask: 'readonly' },
    },
    rules: {
      eqeqeq: ['error', 'always'],
      // Terminal output is parsed and cleaned on purpose: ANSI escape codes are control characters.
      'no-control-regex': 'off',
      // A callback may read a variable that is assigned once later (runner.ts's `feed`).
      'prefer-const': ['error', { destructuring: 'all', ignoreReadBeforeAssign: true }],
      'no-var': 'error',
      // `import('x').T` stays allowed: lazily loaded modules are typed that way.
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests and benchmarks load some modules with require() on purpose: after installing a fake
    // `vscode`, or from another package's dependency tree.
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
