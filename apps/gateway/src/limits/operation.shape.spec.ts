import { buildSchema, parse } from 'graphql';
import { loadGatewayConfig } from '../config/gateway.config';
import { countTokens, measureShape, shapeRefusal, tokensRefusal } from './operation.shape';

const schema = buildSchema(`
  type Organization { code: String! parent: Organization }
  type Case { id: ID! status: String! organization: Organization! related: [Case!]! }
  type Query { case(id: ID!): Case me: String }
`);
const limits = { ...loadGatewayConfig({}).limits, maxDepth: 4, maxAliases: 2, maxDirectives: 2, maxTokens: 30 };
const shapeOf = (query: string) => measureShape(schema, parse(query));

describe('the shape of an operation, measured by GraphQL Armor and judged with our codes', () => {
  it('depth counts nested fields, fragments flattened', () => {
    expect(shapeOf('{ me }').depth).toBe(1);
    expect(shapeOf('{ case(id: "1") { organization { parent { code } } } }').depth).toBe(4);
    expect(shapeOf('{ case(id: "1") { ...C } } fragment C on Case { organization { code } }').depth).toBe(3);
  });

  it('too deep: QUERY_TOO_DEEP with the depth found and the limit', () => {
    const shape = shapeOf('{ case(id: "1") { related { related { organization { code } } } } }');
    expect(shapeRefusal(shape, limits)).toMatchObject({
      message: 'the operation is nested 5 levels deep; the limit is 4',
      extensions: { code: 'QUERY_TOO_DEEP', limit: 4, found: 5, http: { status: 400 } },
    });
  });

  it('too many aliases, fragments included: TOO_MANY_ALIASES', () => {
    const shape = shapeOf('{ a: me b: me ...F } fragment F on Query { c: me }');
    expect(shape.aliases).toBe(3);
    expect(shapeRefusal(shape, limits)).toMatchObject({
      message: 'the operation uses 3 aliases; the limit is 2',
      extensions: { code: 'TOO_MANY_ALIASES', limit: 2, found: 3 },
    });
  });

  it('too many directives: TOO_MANY_DIRECTIVES', () => {
    const shape = shapeOf('query ($y: Boolean!) { me @include(if: $y) a: me @skip(if: $y) b: me @include(if: true) }');
    expect(shapeRefusal(shape, limits)).toMatchObject({
      extensions: { code: 'TOO_MANY_DIRECTIVES', limit: 2, found: 3 },
    });
  });

  it('an operation within every limit passes', () => {
    expect(shapeRefusal(shapeOf('{ case(id: "1") { id s: status } }'), limits)).toBeUndefined();
  });

  it('tokens are counted before parsing, and only up to the limit', () => {
    expect(countTokens('{ case(id: "1") { id } }', 100)).toBe(11);
    expect(countTokens(`{ ${'me '.repeat(10_000)}}`, 100)).toBe(101);
    expect(countTokens('{ "unterminated }', 100)).toBeUndefined();
    expect(tokensRefusal(`{ ${'me '.repeat(40)}}`, limits)).toMatchObject({
      message: "the operation's text has more than 30 tokens, the limit",
      extensions: { code: 'TOO_MANY_TOKENS', limit: 30 },
    });
    expect(tokensRefusal('{ me }', limits)).toBeUndefined();
  });
});
