// `npm run lint` runs this (then `prettier --check`). Type-checked rules, so a finding can rest on
// the types (a floating promise, an `any` leaking out of a parser); formatting is Prettier's alone.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'bench/out/', '.lab/', 'reports/', 'inventory/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A leading underscore is how this code says "unused on purpose" (an interface's parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Async ports (engine/ports.ts) are implemented by methods that answer at once; dropping
      // `async` would turn their throws into synchronous ones, which callers do not expect.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Only the two classic hook rules: the React Compiler rules of `recommended` judge code written
    // for the compiler, which drbook does not use.
    files: ['**/*.tsx', 'src/ui/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // Tests check shapes with vitest's asymmetric matchers (`expect.objectContaining`, typed `any`)
    // and read the CLI's JSON output to assert on it: there the `expect` is the type check.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
