import { buildSchema, execute, GraphQLError, GraphQLScalarType, parse, validate } from 'graphql';
import { checkDateTime, nulInputPlugin, withCheckedScalars } from './checked.inputs';

const schema = withCheckedScalars(buildSchema('scalar DateTime type Query { at(from: DateTime!): String }'));
const validating = (query: string) => validate(schema, parse(query)).map((e) => e.message);
const withVariable = async (from: unknown) =>
  (
    await execute({
      schema,
      document: parse('query ($from: DateTime!) { at(from: $from) }'),
      variableValues: { from },
    })
  ).errors?.map((e) => e.message) ?? [];

describe('DateTime as clients send it through the gateway: an ISO 8601 date and time, or refused before any subgraph', () => {
  it('takes ISO 8601 dates and times, with or without an offset, as they are', () => {
    for (const value of [
      '2026-11-27T08:15:00+07:00',
      '2026-11-27T01:15:00Z',
      '2026-11-27T01:15:00.123Z',
      '2026-11-27T08:15',
      '2026-11-27',
      '0001-01-01T00:00:00Z',
    ]) {
      expect(checkDateTime(value)).toBe(value);
    }
  });

  it('refuses what is not a date (an Invalid Date once reached SQL), other types and years past 9999', () => {
    for (const value of [
      '',
      'x',
      '2026-13-45',
      'NaN',
      '+275760-09-13T00:00:00.000Z',
      '-000001-01-01T00:00:00Z',
      1795742100000,
      null,
      {},
      [],
    ]) {
      expect(() => checkDateTime(value)).toThrow(/^DateTime must be an ISO 8601 date and time such as/);
    }
  });

  it('a literal is refused by validation, a variable when its value is read', async () => {
    expect(validating('{ at(from: "2026-11-27T08:15:00Z") }')).toEqual([]);
    expect(validating('{ at(from: "not a date") }')).toEqual([
      'DateTime must be an ISO 8601 date and time such as 2026-11-27T08:15:00+07:00, not "not a date"',
    ]);
    expect(validating('{ at(from: 2026) }')).toEqual([expect.stringMatching(/^DateTime must be .*, not 2026$/)]);
    expect(await withVariable('2026-11-27T08:15:00Z')).toEqual([]);
    expect(await withVariable('garbage')).toEqual([
      expect.stringMatching(/^Variable "\$from" got invalid value "garbage"; DateTime must be/),
    ]);
  });

  it('leaves a schema without DateTime as it was', () => {
    const plain = buildSchema('type Query { a: String }');
    expect(withCheckedScalars(plain)).toBe(plain);
    expect(plain.getType('DateTime')).toBeUndefined();
    expect(schema.getType('DateTime')).toBeInstanceOf(GraphQLScalarType);
  });
});

describe('U+0000 in what a client sends is refused at the gateway (PostgreSQL cannot hold it)', () => {
  const check = async (query: string, variables?: Record<string, unknown>) => {
    const hooks = await nulInputPlugin().requestDidStart?.({} as never);
    const resolved = hooks?.didResolveOperation?.({ document: parse(query), request: { variables } } as never);
    return resolved?.then(
      () => 'passed',
      (error: GraphQLError) => `${String(error.extensions.code)}: ${error.message}`,
    );
  };

  it('in a literal, in a variable at any depth, in a key: BAD_USER_INPUT, saying where', async () => {
    expect(await check('{ cases(filter: { text: "ab\\u0000c" }) { totalCount } }')).toBe(
      'BAD_USER_INPUT: the string at line 1 contains U+0000, which no text may hold',
    );
    expect(await check('query ($f: CaseFilter) { cases(filter: $f) { totalCount } }', { f: { text: 'a\u0000' } })).toBe(
      'BAD_USER_INPUT: variable $f.text contains U+0000, which no text may hold',
    );
    expect(await check('query ($ids: [ID!]!) { a(ids: $ids) }', { ids: ['x', 'y\u0000'] })).toMatch(
      /^BAD_USER_INPUT: variable \$ids\[1\] contains U\+0000/,
    );
    expect(await check('query ($o: JSONObject) { a(o: $o) }', { o: { 'k\u0000': 1 } })).toMatch(
      /^BAD_USER_INPUT: a key in variable \$o contains U\+0000/,
    );
  });

  it('lets everything else through, nesting of any depth included', async () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(await check('query ($v: JSONObject) { a(v: $v, text: "Нет воды 😀 \\u0001") }', { v: { deep } })).toBe(
      'passed',
    );
    expect(await check('{ me { login } }')).toBe('passed');
  });
});
