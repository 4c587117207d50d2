// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

// The extension and the server are built, shipped and run apart (the VSIX and the Functions app);
// what both need lives in shared/, which in turn needs neither.
// test/boundaries/importBoundaries.unit.test.ts proves each zone fires.
const boundaryZones = [
  {
    target: './extension',
    from: './server',
    message: 'The extension must not import the server: move what both need to shared/.',
  },
  {
    target: './server',
    from: './extension',
    message: 'The server must not import the extension: move what both need to shared/.',
  },
  {
    target: './shared',
    from: ['./extension', './server'],
    message: 'shared/ is imported by the extension and the server, and imports neither.',
  },
];

export default tseslint.config(
  {
    // test/fixtures/projects holds users' projects as they write them: separate packages, not ours to lint.
    ignores: [
      'node_modules/',
      'dist/',
      'server/dist/',
      'test-results/',
      '.azurite/',
      '**/*.js',
      'test/fixtures/projects/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['extension/**/*.ts', 'server/**/*.ts', 'shared/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Without these import-x skips .ts files when it follows imports, and no-cycle finds nothing.
      'import-x/extensions': ['.ts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'] }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: boundaryZones }],
      // Type-only imports are not followed: they vanish from the bundles, so only runtime cycles count.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['server/**/*.ts', 'shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message: 'The server and shared/ run outside VS Code (plain Node, the Functions worker).',
            },
          ],
        },
      ],
    },
  },
);
