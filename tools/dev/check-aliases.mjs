#!/usr/bin/env node
// tsc-alias reads tsconfig.alias.json (it needs baseUrl, which TypeScript 6 deprecates); its
// paths must be those of tsconfig.base.json, or a built app imports a library it cannot find.
import { readFileSync } from 'node:fs';

const read = (file) =>
  JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')).compilerOptions.paths;
const normalise = (paths) =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(paths)
        .map(([k, v]) => [k, v.map((p) => p.replace(/^\.\//, ''))])
        .sort(),
    ),
  );

if (normalise(read('tsconfig.base.json')) !== normalise(read('tsconfig.alias.json'))) {
  console.error('tsconfig.alias.json paths differ from tsconfig.base.json paths: make them the same');
  process.exit(1);
}
