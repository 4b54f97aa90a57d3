import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadGatewayConfig } from '../config/gateway.config';
import { operationHash } from './persisted.operations';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('operation limits: GRAPHQL_* settings, read and checked at start', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'otklik-limits-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults that let the front-ends through with room to spare; development keeps introspection', () => {
    expect(loadGatewayConfig({}).limits).toEqual({
      maxDepth: 10,
      maxAliases: 15,
      maxDirectives: 20,
      maxTokens: 2000,
      maxCost: 25_000,
      defaultListSize: 10,
      maxBatch: 1,
      maxBodyBytes: 1024 * 1024,
      timeoutMs: 30_000,
      production: false,
      persistedOperations: undefined,
    });
  });

  it('takes each from the environment', () => {
    const limits = loadGatewayConfig({
      GRAPHQL_MAX_DEPTH: '7',
      GRAPHQL_MAX_ALIASES: '0',
      GRAPHQL_MAX_DIRECTIVES: '3',
      GRAPHQL_MAX_TOKENS: '500',
      GRAPHQL_MAX_COST: '1000',
      GRAPHQL_DEFAULT_LIST_SIZE: '25',
      GRAPHQL_MAX_BATCH: '5',
      GRAPHQL_MAX_BODY_BYTES: '65536',
      GRAPHQL_TIMEOUT_MS: '2500',
    }).limits;
    expect(limits).toMatchObject({
      maxDepth: 7,
      maxAliases: 0,
      maxDirectives: 3,
      maxTokens: 500,
      maxCost: 1000,
      defaultListSize: 25,
      maxBatch: 5,
      maxBodyBytes: 65536,
      timeoutMs: 2500,
    });
  });

  it('a bad value stops the start, naming the setting and its range', () => {
    expect(
      problemsOf({
        GRAPHQL_MAX_DEPTH: '0',
        GRAPHQL_MAX_COST: 'lots',
        GRAPHQL_TIMEOUT_MS: '1.5',
        GRAPHQL_MAX_BATCH: '-1',
      }),
    ).toEqual([
      'GRAPHQL_MAX_DEPTH: must be a whole number from 1 to 100 (got "0")',
      'GRAPHQL_MAX_COST: must be a whole number from 1 to 10000000 (got "lots")',
      'GRAPHQL_MAX_BATCH: must be a whole number from 1 to 100 (got "-1")',
      'GRAPHQL_TIMEOUT_MS: must be a whole number from 10 to 600000 (got "1.5")',
    ]);
  });

  it('the persisted operations: a JSON object of sha256 → text, every entry checked', () => {
    const query = '{ me { login } }';
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ [operationHash(query)]: query }));
    const list = loadGatewayConfig({ GRAPHQL_PERSISTED_OPERATIONS: good }).limits.persistedOperations;
    expect(list?.size).toBe(1);
    expect(list?.allows({ query })).toBe(true);

    const stale = join(dir, 'stale.json');
    const wrongHash = operationHash('{ me { displayName } }');
    writeFileSync(stale, JSON.stringify({ [wrongHash]: query, 'not-a-hash': query, [operationHash('{ me')]: '{ me' }));
    expect(problemsOf({ GRAPHQL_PERSISTED_OPERATIONS: stale })).toEqual([
      `GRAPHQL_PERSISTED_OPERATIONS: the entry ${wrongHash} holds a text whose sha256 is ${operationHash(query)}`,
      'GRAPHQL_PERSISTED_OPERATIONS: "not-a-hash" is not a lowercase hex sha256',
      expect.stringMatching(/^GRAPHQL_PERSISTED_OPERATIONS: the entry \w+ does not parse \(Syntax Error/),
    ]);
  });

  it('a missing, malformed or empty list stops the start', () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '{}');
    const array = join(dir, 'array.json');
    writeFileSync(array, '[]');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{');
    expect(problemsOf({ GRAPHQL_PERSISTED_OPERATIONS: join(dir, 'nowhere.json') })).toEqual([
      `GRAPHQL_PERSISTED_OPERATIONS: ${join(dir, 'nowhere.json')} does not exist`,
    ]);
    expect(problemsOf({ GRAPHQL_PERSISTED_OPERATIONS: empty })).toEqual([
      `GRAPHQL_PERSISTED_OPERATIONS: ${empty} lists no operations`,
    ]);
    expect(problemsOf({ GRAPHQL_PERSISTED_OPERATIONS: array })).toEqual([
      `GRAPHQL_PERSISTED_OPERATIONS: ${array} must be a JSON object of sha256 → operation text`,
    ]);
    expect(problemsOf({ GRAPHQL_PERSISTED_OPERATIONS: broken })[0]).toMatch(/broken\.json is not JSON/);
  });

  it('production turns on the hardening', () => {
    const limits = loadGatewayConfig({
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://id.example/.well-known/jwks.json',
      AUTH_ISSUER: 'https://id.example',
      AUTH_AUDIENCE: 'otklik',
      INTERNAL_AUTH_SECRET: 'x'.repeat(40),
    }).limits;
    expect(limits.production).toBe(true);
  });
});
