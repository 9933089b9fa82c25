// Lint and format for the project's own code: ESLint's and typescript-eslint's recommended rules,
// without type information (fast enough for every test run), the habits the code already keeps,
// and its layout (@stylistic): `npm run lint` checks it, `npm run format` rewrites what it can.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
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
    // The layout every file already has; `npm run format` applies it.
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/indent': ['error', 2],
      // A template literal may stand among its neighbours without a placeholder of its own.
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'always' }],
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      '@stylistic/comma-spacing': 'error',
      '@stylistic/comma-style': 'error',
      '@stylistic/no-trailing-spaces': 'error',
      '@stylistic/eol-last': 'error',
      '@stylistic/linebreak-style': 'error',
      '@stylistic/no-multiple-empty-lines': ['error', { max: 1 }],
      '@stylistic/padded-blocks': ['error', 'never'],
      // Aligned comments after values (model/images.ts) stay aligned.
      '@stylistic/no-multi-spaces': ['error', { ignoreEOLComments: true }],
      '@stylistic/block-spacing': 'error',
      '@stylistic/brace-style': ['error', '1tbs', { allowSingleLine: true }],
      '@stylistic/keyword-spacing': 'error',
      '@stylistic/space-before-blocks': 'error',
      '@stylistic/space-before-function-paren': ['error', { anonymous: 'always', named: 'never', asyncArrow: 'always' }],
      '@stylistic/space-in-parens': 'error',
      '@stylistic/space-infix-ops': 'error',
      '@stylistic/space-unary-ops': 'error',
      '@stylistic/semi-spacing': 'error',
      '@stylistic/key-spacing': 'error',
      '@stylistic/arrow-spacing': 'error',
      '@stylistic/arrow-parens': ['error', 'always'],
      '@stylistic/quote-props': ['error', 'as-needed'],
      '@stylistic/member-delimiter-style': 'error',
      '@stylistic/type-annotation-spacing': 'error',
      // `&&`, `||`, `?` and `:` start the continued line; an assignment ends its line.
      '@stylistic/operator-linebreak': ['error', 'before', { overrides: { '=': 'after' } }],
      '@stylistic/dot-location': ['error', 'property'],
      '@stylistic/function-call-spacing': 'error',
      '@stylistic/computed-property-spacing': 'error',
      '@stylistic/no-whitespace-before-property': 'error',
      '@stylistic/rest-spread-spacing': 'error',
      '@stylistic/template-curly-spacing': 'error',
      '@stylistic/switch-colon-spacing': 'error',
      '@stylistic/new-parens': 'error',
      '@stylistic/no-extra-semi': 'error',
      '@stylistic/no-floating-decimal': 'error',
      '@stylistic/no-mixed-spaces-and-tabs': 'error',
      '@stylistic/spaced-comment': ['error', 'always', { markers: ['/'] }],
    },
  },
  {
    // Tests and benchmarks load some modules with require() on purpose: after installing a fake
    // `vscode`, or from another package's dependency tree.
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
