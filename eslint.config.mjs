import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['node_modules/**', '.next/**', '.next-*/**', 'next-env.d.ts', 'test-results/**', 'playwright-report/**', 'bench/tmp/**', 'data/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          // The Y.Doc schema lives in lib/doc: components reach it through the accessors only.
          selector: "CallExpression[callee.property.name=/^get(Map|Array|Text|XmlFragment)$/][callee.object.name='doc']",
          message: 'Reach the Y.Doc through the typed accessors in lib/doc.',
        },
      ],
    },
  },
  {
    files: ['lib/doc/**', 'tests/**', 'bench/**', 'server/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
