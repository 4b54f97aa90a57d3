import { buildSchema, GraphQLObjectType, Kind, OperationDefinitionNode, parse, validate } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchIndexOf, batchVariables, caseSelection, EntitySelection, readBatch } from './entity.query';
import { extendWithSubscriptions } from './subscription.schema';

const apiSchema = buildSchema(`
  scalar DateTime
  enum CaseStatus { DETECTED ROUTED }
  type Organization { id: ID! code: String! }
  type Case { id: ID! status: CaseStatus! organization: Organization! repeatOf: Case }
  type Notification { id: ID! text: String! case: Case }
  type Query { case(id: ID!): Case  notification(id: ID!): Notification }
`);
const schema = extendWithSubscriptions(apiSchema, readFileSync(join(__dirname, 'subscriptions.graphql'), 'utf8'));

/** The selection the `caseEvents` resolver would build for this subscription. */
function selectionOf(subscription: string, variableValues: Record<string, unknown> = {}): EntitySelection {
  const document = parse(subscription);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) throw new Error('no operation');
  const fragments = Object.fromEntries(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  const field = operation.selectionSet.selections[0];
  if (field.kind !== Kind.FIELD) throw new Error('no field');
  const eventType = schema.getType('CaseEvent') as GraphQLObjectType;
  return caseSelection(
    { schema, fragments, operation, variableValues, fieldNodes: [field], returnType: eventType },
    eventType,
  );
}

const everything = `subscription S($withOrg: Boolean!, $unused: ID) {
    caseEvents { kind: type ...Ev again: case { id } }
  }
  fragment Ev on CaseEvent { at c: case { ...C organization @include(if: $withOrg) { code } } }
  fragment C on Case { ident: id st: status }`;

describe('entity query: batched', () => {
  it('for n = 2: each occurrence aliased e<i>_<responseKey>, one ID! variable per entity, fragments and variables kept', () => {
    const selection = selectionOf(everything, { withOrg: true, unused: 'x' });
    const query = selection.queryFor(2);
    expect(query).toMatch(
      /^query OtklikSubscriptionEntity\(\$otklikEntityId0: ID!, \$otklikEntityId1: ID!, \$withOrg: Boolean!\) {/,
    );
    for (const i of [0, 1]) {
      expect(query).toContain(`e${i}_c: case(id: $otklikEntityId${i}) {`);
      expect(query).toContain(`e${i}_again: case(id: $otklikEntityId${i}) {`);
    }
    expect(query).not.toMatch(/e2_/);
    expect(query.match(/fragment C on Case {/g)).toHaveLength(1);
    expect(query).not.toMatch(/fragment Ev/);
    expect(query).toMatch(/organization @include\(if: \$withOrg\)/);
    expect(validate(apiSchema, parse(query))).toEqual([]);
    expect(selection.variables).toEqual({ withOrg: true });
    expect(selection.responseKeys).toEqual(['c', 'again']);
    expect(batchVariables(selection, ['case-1', 'case-2'])).toEqual({
      withOrg: true,
      otklikEntityId0: 'case-1',
      otklikEntityId1: 'case-2',
    });
  });

  it('the printed query is the same text for the same n, different for another n', () => {
    const selection = selectionOf(everything, { withOrg: true });
    const one = selection.queryFor(1);
    expect(selection.queryFor(1)).toBe(one);
    expect(selectionOf(everything, { withOrg: true }).queryFor(1)).toBe(one);
    expect(one).toContain('e0_c: case(id: $otklikEntityId0)');
    expect(one).not.toContain('otklikEntityId1');
    const hundred = selection.queryFor(100);
    expect(hundred).toContain('e99_again: case(id: $otklikEntityId99)');
    expect(validate(apiSchema, parse(hundred))).toEqual([]);
    // Past the cached sizes, still the same text.
    for (let n = 2; n <= 40; n += 1) selection.queryFor(n);
    expect(selection.queryFor(1)).toBe(one);
    expect(selection.queryFor(100)).toBe(hundred);
    expect(() => selection.queryFor(0)).toThrow(RangeError);
  });

  it('id variables never collide with the subscriber’s own', () => {
    const selection = selectionOf(
      `subscription ($otklikEntityId0: Boolean!) { caseEvents { case { id @include(if: $otklikEntityId0) status } } }`,
      { otklikEntityId0: true },
    );
    expect(selection.idVariable).not.toBe('otklikEntityId');
    const query = selection.queryFor(2);
    expect(validate(apiSchema, parse(query))).toEqual([]);
    expect(batchVariables(selection, ['a', 'b'])).toEqual({
      otklikEntityId0: true,
      [`${selection.idVariable}0`]: 'a',
      [`${selection.idVariable}1`]: 'b',
    });
  });

  it('reading back: entity i is visible iff every e<i>_ field is non-null, keyed by the original response keys', () => {
    const selection = selectionOf(everything, { withOrg: false });
    const data = {
      e0_c: { ident: 'case-1' },
      e0_again: { id: 'case-1' },
      e1_c: null,
      e1_again: { id: 'case-2' },
      e2_c: { ident: 'case-3' },
      e2_again: { id: 'case-3' },
      __typename: 'Query',
    };
    expect(readBatch(selection, data, 3)).toEqual([
      { c: { ident: 'case-1' }, again: { id: 'case-1' } },
      null,
      { c: { ident: 'case-3' }, again: { id: 'case-3' } },
    ]);
    expect(readBatch(selection, data, 4)[3]).toBeNull();
    expect(readBatch(selection, null, 2)).toEqual([null, null]);
  });

  it('batchIndexOf finds the entity of an error path', () => {
    expect(batchIndexOf('e12_c')).toBe(12);
    expect(batchIndexOf('e0__private')).toBe(0);
    expect(batchIndexOf('case')).toBeUndefined();
    expect(batchIndexOf(undefined)).toBeUndefined();
  });
});
