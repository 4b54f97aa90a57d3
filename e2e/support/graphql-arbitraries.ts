import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  GraphQLEnumType,
  GraphQLField,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLScalarType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';

// fast-check generators of GraphQL requests for graphql-fuzz.e2e-spec.ts, driven by the schema
// clients see: the checked-in supergraph (apps/gateway/supergraph.graphql). For every Query and
// Mutation root field, operations whose arguments are generated from their types — the right
// shape mostly, and then wrong types, nulls where null is not allowed, huge strings, unicode,
// deep input objects, large lists, unknown enum values, negative and huge page sizes — sent as
// variables and as literals; and documents and request bodies that are not GraphQL at all.

/** The supergraph as the gateway loads it (its join__/link__ machinery builds like any other SDL). */
export function supergraphSchema(): GraphQLSchema {
  const sdl = readFileSync(join(__dirname, '..', '..', 'apps', 'gateway', 'supergraph.graphql'), 'utf8');
  return buildSchema(sdl, { assumeValidSDL: true });
}

export interface RootField {
  operation: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
}

/** Every Query and Mutation field a client may call (federation's own `_entities`, `_service` left out). */
export function rootFields(schema: GraphQLSchema): RootField[] {
  const of = (operation: RootField['operation'], type: GraphQLObjectType | null | undefined): RootField[] =>
    Object.values(type?.getFields() ?? {})
      .filter((field) => !field.name.startsWith('_'))
      .map((field) => ({ operation, field }));
  return [...of('query', schema.getQueryType()), ...of('mutation', schema.getMutationType())];
}

/** A string that PostgreSQL cannot store, or that sits on a limit, or that only looks like something else. */
const smallAwkwardString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '😀',
    '\u202e',
    '-1',
    '1e308',
    '99999999999999999999',
    'NaN',
    '00000000-0000-0000-0000-000000000000',
    '0b6f4a5e-0000-4000-8000-000000000001',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '2026-02-30T00:00:00Z',
    '+275760-09-13T00:00:00.001Z',
    '-000001-01-01T00:00:00Z',
    '2026-11-27T08:15:00+07:00',
    'kalmansky',
    '%',
    '_',
    '\\',
    "'",
    'https://vk.com/wall-1_1',
    'YXJyYXljb25uZWN0aW9uOjA=',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
);

/** …and strings long enough to meet every length limit. */
const longString = fc
  .tuple(fc.constantFrom(256, 1_001, 20_001, 100_000), fc.constantFrom('a', 'я', '😀', '\u0000'))
  .map(([n, c]) => c.repeat(n));

/**
 * Where a value goes, once per request (`big`) a huge one may; inside a large list, only small
 * ones (two thousand long strings would only be refused for their size, over and over).
 */
const awkwardString = (big: boolean) =>
  big
    ? fc.oneof({ weight: 4, arbitrary: smallAwkwardString }, { weight: 1, arbitrary: longString })
    : smallAwkwardString;

const awkwardInt = fc.oneof(
  fc.constantFrom(0, -1, 1, 100, 101, 1000, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53, -(2 ** 53), 1.5, 1e308),
  fc.integer(),
  fc.integer({ min: -5, max: 120 }),
);

/** Anything a client could send where a value goes: other types, nulls, lists, objects. */
const anyValue = (big: boolean): fc.Arbitrary<unknown> =>
  fc.oneof(fc.jsonValue({ maxDepth: 2 }), awkwardString(big), awkwardInt, fc.constantFrom(null, true, false, [], {}));
const anyJson = anyValue(true);

function scalarValue(type: GraphQLScalarType, big: boolean): fc.Arbitrary<unknown> {
  switch (type.name) {
    case 'Int':
      return awkwardInt;
    case 'Float':
      return fc.oneof(awkwardInt, fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'Boolean':
      return fc.boolean();
    case 'ID':
      return fc.oneof(
        { weight: 3, arbitrary: fc.uuid() },
        { weight: 1, arbitrary: awkwardString(big) },
        { weight: 1, arbitrary: fc.integer() },
      );
    case 'DateTime':
      return fc.oneof(
        fc
          .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString()),
        awkwardString(big),
        fc.integer(),
      );
    case 'JSONObject':
      return fc.oneof(fc.object({ maxDepth: 2 }), anyValue(big));
    default:
      return fc.oneof(awkwardString(big), anyValue(big));
  }
}

function enumValue(type: GraphQLEnumType): fc.Arbitrary<unknown> {
  const names = type.getValues().map((v) => v.name);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...names) },
    { weight: 1, arbitrary: fc.constantFrom(...names).map((n) => n.toLowerCase()) },
    { weight: 1, arbitrary: fc.oneof(fc.stringMatching(/^[A-Z_]{1,12}$/), smallAwkwardString) },
  );
}

/**
 * A value for an input type: mostly of that type (so that the request reaches the resolvers),
 * sometimes of another (so that it must be refused before them).
 */
export function inputValue(type: GraphQLInputType, depth = 0, big = true): fc.Arbitrary<unknown> {
  const wrong = depth > 4 ? anyValue(big) : fc.oneof(anyValue(big), fc.constant(null));
  return fc.oneof({ weight: 6, arbitrary: typedValue(type, depth, big) }, { weight: 1, arbitrary: wrong });
}

function typedValue(type: GraphQLInputType, depth: number, big: boolean): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return typedValue((type as GraphQLNonNull<GraphQLInputType>).ofType, depth, big);
  if (isListType(type)) {
    const item = (type as GraphQLList<GraphQLInputType>).ofType;
    const lists: Array<fc.WeightedArbitrary<unknown>> = [
      { weight: 4, arbitrary: fc.array(inputValue(item, depth + 1, big), { maxLength: 4 }) },
      // A lone value where a list goes (GraphQL coerces it).
      { weight: 1, arbitrary: inputValue(item, depth + 1, big) },
    ];
    // A large list of one small value.
    if (big) {
      lists.push({
        weight: 1,
        arbitrary: inputValue(item, depth + 1, false).map((v) => Array.from({ length: 2_000 }, () => v)),
      });
    }
    return fc.oneof(...lists);
  }
  if (isEnumType(type)) return enumValue(type);
  if (isInputObjectType(type)) return inputObject(type, depth, big);
  return scalarValue(type, big);
}

function inputObject(type: GraphQLInputObjectType, depth: number, big: boolean): fc.Arbitrary<unknown> {
  // Input objects may nest themselves (a filter of filters): past a few levels, only what is required.
  const fields = Object.values(type.getFields()).filter((f) => depth < 4 || isNonNullType(f.type));
  const record = fc.record(Object.fromEntries(fields.map((f) => [f.name, inputValue(f.type, depth + 1, big)])), {
    requiredKeys: fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => f.name),
  });
  return fc.oneof(
    { weight: 8, arbitrary: record },
    // A required field left out, and a field the type does not have.
    { weight: 1, arbitrary: record.map((value) => Object.fromEntries(Object.entries(value).slice(1))) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(record, fc.stringMatching(/^[a-z][A-Za-z]{0,10}$/), anyValue(big))
        .map(([v, k, x]) => ({ ...v, [k]: x })),
    },
  );
}

/** A JSON value written as a GraphQL literal; what GraphQL cannot write (a bad name) comes out as it is, for the parser to refuse. */
export function literal(value: unknown, type: GraphQLInputType | undefined): string {
  if (value === null || value === undefined) return 'null';
  const named = type && getNamedType(type);
  if (Array.isArray(value)) {
    const nullable = type && isNonNullType(type) ? type.ofType : type;
    const item = nullable && isListType(nullable) ? nullable.ofType : undefined;
    return `[${value.map((v) => literal(v, item)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const fields = named && isInputObjectType(named) ? named.getFields() : {};
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}: ${literal(item, fields[key]?.type)}`)
      .join(', ')}}`;
  }
  if (typeof value === 'string' && named && isEnumType(named) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
  // JSON's string and number syntax is GraphQL's.
  return JSON.stringify(value);
}

/** A selection that is valid for the type: its arguments-free scalar fields (a few), and __typename. */
export function selectionFor(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return '{ __typename }';
  const fields = Object.values(named.getFields()).filter((f) => f.args.length === 0);
  const leaves = fields.filter((f) => isLeafType(getNamedType(f.type))).slice(0, 8);
  // One level of objects below the root, so that reference resolvers and loaders run too.
  const objects =
    depth === 0
      ? fields
          .filter((f) => isObjectType(getNamedType(f.type)))
          .slice(0, 3)
          .map((f) => `${f.name} ${selectionFor(f.type, depth + 1)}`)
      : [];
  return `{ __typename ${[...leaves.map((f) => f.name), ...objects].join(' ')} }`;
}

export interface GraphqlRequest {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is, with this content type: what is not JSON, or says it is not. */
  raw?: { text: string; contentType: string };
  /** What the request is, in a counterexample. */
  [fc.toStringMethod]: () => string;
}

const request = (body: unknown, label: string): GraphqlRequest => ({
  body,
  [fc.toStringMethod]: () => `${label}: ${JSON.stringify(body).slice(0, 600)}`,
});

/** An operation on one root field, its arguments as variables or as literals. */
export function operationOn({ operation, field }: RootField): fc.Arbitrary<GraphqlRequest> {
  const args = field.args;
  const model = Object.fromEntries(args.map((a) => [a.name, inputValue(a.type)]));
  const required = args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined).map((a) => a.name);
  const values = fc.oneof(
    { weight: 5, arbitrary: fc.record(model, { requiredKeys: required }) },
    { weight: 1, arbitrary: fc.record(model, { requiredKeys: [] }) },
  );
  const selection = selectionFor(field.type);
  return fc.tuple(values, fc.boolean()).map(([given, asVariables]) => {
    const names = Object.keys(given);
    const argArgs = args.filter((a) => names.includes(a.name));
    if (asVariables && argArgs.length > 0) {
      const declared = argArgs.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
      const passed = argArgs.map((a) => `${a.name}: $${a.name}`).join(', ');
      return request(
        { query: `${operation} Fuzz(${declared}) { ${field.name}(${passed}) ${selection} }`, variables: given },
        `${field.name} (variables)`,
      );
    }
    const passed = argArgs.map((a) => `${a.name}: ${literal(given[a.name], a.type)}`).join(', ');
    return request(
      { query: `${operation} { ${field.name}${passed ? `(${passed})` : ''} ${selection} }` },
      `${field.name} (literals)`,
    );
  });
}

/** Documents that are not GraphQL, or barely: random text and soups of GraphQL's own tokens. */
export function garbage(schema: GraphQLSchema): fc.Arbitrary<GraphqlRequest> {
  const names = rootFields(schema).map((f) => f.field.name);
  const token = fc.oneof(
    fc.constantFrom(
      '{',
      '}',
      '(',
      ')',
      '[',
      ']',
      ':',
      '!',
      '=',
      '|',
      '&',
      '@',
      '$',
      '...',
      '$input',
      'query',
      'mutation',
      'subscription',
      'fragment',
      'on',
      'null',
      'true',
      '1',
      '-1.5e10',
      '"str"',
      '"""block"""',
      '#c\n',
      '@include(if: true)',
      '@skip(if: $x)',
      '__schema',
      '__type(name: "Case")',
      '__typename',
      'id',
      'input:',
      'first: -1',
      'first: 99999999999',
    ),
    fc.constantFrom(...names),
  );
  const soup = fc.array(token, { maxLength: 60 }).map((tokens) => tokens.join(' '));
  return fc.oneof(
    soup.map((query) => request({ query }, 'token soup')),
    fc.string({ unit: 'binary', maxLength: 200 }).map((query) => request({ query }, 'unicode text')),
    fc.string({ maxLength: 200 }).map((query) => request({ query }, 'text')),
    // Bodies shaped wrongly: a query that is not a string, variables that are not an object, odd extensions.
    fc
      .record(
        {
          query: fc.oneof(anyJson, soup),
          variables: anyJson,
          operationName: anyJson,
          extensions: fc.oneof(
            anyJson,
            fc.record({ persistedQuery: fc.record({ version: anyJson, sha256Hash: anyJson }) }),
          ),
        },
        { requiredKeys: [] },
      )
      .map((body) => request(body, 'odd body')),
    fc.array(fc.record({ query: soup }), { minLength: 0, maxLength: 3 }).map((body) => request(body, 'batch')),
    anyJson.map((body) => request(body, 'not an operation')),
    fc
      .tuple(
        fc.oneof(
          fc.string({ maxLength: 100 }),
          soup.map((query) => JSON.stringify({ query }).slice(0, -3)),
        ),
        fc.constantFrom('application/json', 'text/plain', 'application/graphql', 'application/x-www-form-urlencoded'),
      )
      .map(([text, contentType]) => ({
        raw: { text, contentType },
        [fc.toStringMethod]: () => `raw ${contentType}: ${JSON.stringify(text).slice(0, 300)}`,
      })),
  );
}
