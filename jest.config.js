// Three sizes of test (STYLE.md §13), chosen with TEST_SIZE=unit|medium|e2e (default: all).
//   unit   *.spec.ts         pure logic, no I/O
//   medium *.medium-spec.ts  one service or library against the real PostgreSQL and NATS
//   e2e    e2e/**.e2e-spec.ts all four apps as processes, through the gateway
const fs = require('node:fs');
const path = require('node:path');
const { project } = require('./jest.preset');

const sizes = {
  unit: ['**/src/**/*.spec.ts'],
  medium: ['**/src/**/*.medium-spec.ts', '**/test/**/*.medium-spec.ts'],
};

const folders = ['apps', 'libs'].flatMap((top) =>
  fs
    .readdirSync(path.join(__dirname, top), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `${top}/${d.name}`),
);

const wanted = process.env.TEST_SIZE ? process.env.TEST_SIZE.split(',') : ['unit', 'medium', 'e2e'];
const projects = [];
for (const size of wanted) {
  if (size === 'e2e') {
    projects.push({ ...project('e2e', 'e2e', ['**/*.e2e-spec.ts']) });
    continue;
  }
  for (const folder of folders) {
    projects.push(project(folder, `${size}:${path.basename(folder)}`, sizes[size]));
  }
}

module.exports = { projects, testTimeout: 30000 };
