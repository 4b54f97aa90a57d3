import { buildSchema, parse } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extendWithSubscriptions } from '../subscriptions/subscription.schema';
import { DEFAULT_PAGE_SIZE, operationCost } from './cost.estimator';
import { loadGatewayConfig } from '../config/gateway.config';
import { costRefusal, measureShape, shapeRefusal } from './operation.shape';

const schema = buildSchema(`
  type PageInfo { hasNextPage: Boolean! }
  type Transition { actor: String! }
  type Case { id: ID! status: String! history: [Transition!]! related: [Case!]! }
  type CaseEdge { cursor: String! node: Case! }
  type CaseConnection { totalCount: Int! pageInfo: PageInfo! edges: [CaseEdge!]! }
  type Query {
    cases(first: Int, after: String): CaseConnection!
    imports(first: Int! = 20): [Case!]!
    case(id: ID!): Case
  }
`);

const cost = (query: string, variables?: Record<string, unknown>, defaultListSize = 10) =>
  operationCost(schema, parse(query), { variables, defaultListSize });

describe('the cost of an operation counts list sizes (cost.estimator.ts)', () => {
  it('a field costs 1, plus what is selected under it', () => {
    expect(cost('{ case(id: "1") { id status } }')).toBe(3);
  });

  it('a connection multiplies its selection by `first`; its edges are not counted again', () => {
    // cases: 50 × (1 + edges(1 + node(1 + id 1)))
    expect(cost('{ cases(first: 50) { edges { node { id } } } }')).toBe(50 * 4);
  });

  it('`first` from a variable, and the subgraphs’ default page when it is not given', () => {
    expect(cost('query ($n: Int) { cases(first: $n) { totalCount } }', { n: 7 })).toBe(7 * 2);
    expect(cost('{ cases { totalCount } }')).toBe(DEFAULT_PAGE_SIZE * 2);
    expect(cost('{ imports { id } }')).toBe(20 * 2);
  });

  it('a list without a page size counts the default list size, and nested lists multiply', () => {
    expect(cost('{ case(id: "1") { history { actor } } }')).toBe(1 + 10 * 2);
    expect(cost('{ case(id: "1") { history { actor } } }', undefined, 3)).toBe(1 + 3 * 2);
    // 2 × (1 + edges(1 + node(1 + related: 10 × (1 + history: 10 × 2))))
    expect(cost('{ cases(first: 2) { edges { node { related { history { actor } } } } } }')).toBe(
      2 * (1 + 1 + 1 + 10 * (1 + 10 * 2)),
    );
  });

  it('first: 1000 nested is far over the default budget; fragments are expanded, and a fragment bomb is refused', () => {
    const limits = loadGatewayConfig({}).limits;
    const costly = parse('{ cases(first: 1000) { edges { node { id history { actor } related { id } } } } }');
    expect(costRefusal(schema, costly, {}, limits)).toMatchObject({
      message: expect.stringMatching(/cost is 44000 .* the limit is 25000/),
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 25000, found: 44000 },
    });
    expect(cost('{ cases(first: 5) { ...C } } fragment C on CaseConnection { totalCount }')).toBe(5 * 2);
    const levels = Array.from(
      { length: 20 },
      (_, i) => `fragment F${i} on Case { related { ...F${i + 1} ...F${i + 1} } }`,
    ).join('\n');
    const bomb = parse(`{ case(id: "1") { ...F0 } } ${levels} fragment F20 on Case { id }`);
    expect(costRefusal(schema, bomb, {}, limits)?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
  });

  it('introspection and __typename cost nothing (answered from memory, bounded by graphql-js)', () => {
    expect(cost('{ __typename __schema { types { name fields { name } } } }')).toBe(0);
  });

  it('variables that do not fit the operation are left to execution to refuse', () => {
    const limits = loadGatewayConfig({}).limits;
    const document = parse('query ($n: Int!) { cases(first: $n) { totalCount } }');
    expect(costRefusal(schema, document, { variables: { n: 'many' } }, limits)).toBeUndefined();
  });
});

describe('the front-end’s operations fit the default limits with room to spare', () => {
  // The supergraph's types as the gateway serves them (join__ directives and types are inert here).
  const api = buildSchema(readFileSync(join(__dirname, '../../supergraph.graphql'), 'utf8'), { assumeValidSDL: true });
  const served = extendWithSubscriptions(
    api,
    readFileSync(join(__dirname, '../subscriptions/subscriptions.graphql'), 'utf8'),
  );
  const limits = loadGatewayConfig({}).limits;
  // What the e2e specs read of a case (e2e/case-life, e2e/webhook-to-subscription), together.
  const CASE = `id status organization { code } executor { login } repeatOf { id }
    deadlines { kind state startedAt dueAt responsible { login } }
    history { action from to actor }
    publications { kind status }
    replies { text }
    exclusionReasons
    message { id text url platform author { name } }`;

  it.each([
    ['a case list of 50 with history and deadlines', `{ cases(first: 50) { totalCount edges { node { ${CASE} } } } }`],
    ['the largest page (100) of the same', `{ cases(first: 100) { totalCount edges { node { ${CASE} } } } }`],
    ['one case', `query ($id: ID!) { case(id: $id) { ${CASE} } }`],
    ['the live case feed', `subscription { caseEvents { type at case { ${CASE} } } }`],
    ['notifications', '{ notifications(first: 20) { edges { node { kind text case { id status } } } } }'],
  ])('%s', (_name, query) => {
    const document = parse(query);
    const shape = measureShape(served, document);
    expect(shapeRefusal(shape, limits)).toBeUndefined();
    expect(shape.depth).toBeLessThanOrEqual(limits.maxDepth - 4);
    expect(costRefusal(served, document, { variables: { id: 'c' } }, limits)).toBeUndefined();
  });

  it('the case list of 50 costs about 10 000, under half the budget (the page of 100: about 20 000)', () => {
    const document = parse(`{ cases(first: 50) { totalCount edges { node { ${CASE} } } } }`);
    expect(operationCost(served, document, { defaultListSize: limits.defaultListSize })).toBeLessThanOrEqual(
      limits.maxCost / 2.5,
    );
  });
});
