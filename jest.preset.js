// Shared Jest settings: SWC transforms TypeScript (and the ESM-only packages below,
// which Jest cannot require on Node < 24.9); type-checking is `npm run typecheck`.
const path = require('node:path');

const esmPackages = [
  '@nestjs',
  'file-type',
  'strtok3',
  'token-types',
  'peek-readable',
  '@tokenizer',
  'uint8array-extras',
  'jose',
  'read-excel-file',
  'write-excel-file',
  'fflate',
  'saxen',
  'unzipper-esm',
  'worker-f',
];

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const root = __dirname;

/** @param {string} dir the project's folder, relative to the repository root */
function project(dir, displayName, testMatch) {
  return {
    displayName,
    rootDir: path.join(root, dir),
    testEnvironment: 'node',
    testMatch,
    transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swcOptions] },
    transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
    moduleNameMapper: { '^@otklik/(.*)$': path.join(root, 'libs/$1/src/index.ts') },
    moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  };
}

module.exports = { project, swcOptions };
