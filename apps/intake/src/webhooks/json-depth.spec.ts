import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';

const bytes = (text: string) => new TextEncoder().encode(text);
const arrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const objects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('nestsDeeperThan: a webhook body nested past MAX_JSON_DEPTH is found before anything parses it', () => {
  it('arrays and objects up to the limit pass; one level more does not', () => {
    expect(nestsDeeperThan(bytes(arrays(MAX_JSON_DEPTH)))).toBe(false);
    expect(nestsDeeperThan(bytes(arrays(MAX_JSON_DEPTH + 1)))).toBe(true);
    expect(nestsDeeperThan(bytes(objects(MAX_JSON_DEPTH)))).toBe(false);
    expect(nestsDeeperThan(bytes(objects(MAX_JSON_DEPTH + 1)))).toBe(true);
  });

  it('counts depth, not how many containers there are', () => {
    expect(nestsDeeperThan(bytes(JSON.stringify(Array.from({ length: 10_000 }, () => [{ a: [1] }]))), 4)).toBe(false);
    expect(nestsDeeperThan(bytes('[[[[]]]]'), 3)).toBe(true);
  });

  it('brackets inside strings, escaped quotes included, do not count', () => {
    expect(nestsDeeperThan(bytes(JSON.stringify({ text: arrays(500) })))).toBe(false);
    expect(nestsDeeperThan(bytes(JSON.stringify({ text: `\\"${'['.repeat(500)}\\"` })))).toBe(false);
    expect(nestsDeeperThan(bytes(`{"a\\"":${arrays(3)}}`), 3)).toBe(true);
  });

  it('multi-byte UTF-8 text and bodies that are not JSON are read without error', () => {
    expect(nestsDeeperThan(bytes(JSON.stringify({ text: 'Нет воды 😀 [[[' })), 1)).toBe(false);
    expect(nestsDeeperThan(new Uint8Array([0xff, 0x5b, 0xc3]), 1)).toBe(false);
    expect(nestsDeeperThan(new Uint8Array(0))).toBe(false);
  });
});
