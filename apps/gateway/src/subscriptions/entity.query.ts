import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLObjectType,
  GraphQLResolveInfo,
  Kind,
  OperationTypeNode,
  print,
  SelectionNode,
  SelectionSetNode,
  VariableDefinitionNode,
  visit,
} from 'graphql';
// graphql-js's own field collection (fragments, @skip/@include), exported by the module though marked internal.
import { collectSubfields } from 'graphql/execution/collectFields';

/**
 * The subscriber's selection of an entity, as a query to run through the federated graph:
 * `query ($id: ID!, …) { <responseKey>: case(id: $id) { …the subscriber's selection… } }`.
 * Its data is keyed by the subscriber's response keys (aliases), which is how the
 * subscription's field resolvers read it back.
 */
export interface EntitySelection {
  readonly query: string;
  /** The subscriber's variables that the selection uses. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** Name of the variable that takes the entity id. */
  readonly idVariable: string;
  /** One per aliased occurrence of the entity field; all must come back non-null for the event to be visible. */
  readonly responseKeys: readonly string[];
}

type SelectionInfo = Pick<
  GraphQLResolveInfo,
  'schema' | 'fragments' | 'operation' | 'variableValues' | 'fieldNodes' | 'returnType'
>;

/** For `caseEvents { … case { … } }`: every occurrence of `case` under the event, fetched with `case(id:)`. */
export function caseSelection(
  info: SelectionInfo,
  eventType: GraphQLObjectType,
  entityField = 'case',
  queryField = 'case',
): EntitySelection {
  const subfields = collectSubfields(info.schema, info.fragments, info.variableValues, eventType, info.fieldNodes);
  const targets = [...subfields].filter(([, nodes]) => nodes[0].name.value === entityField);
  return entitySelection(queryField, targets, info);
}

/** For `notificationAdded { … }`: the subscription field itself is the entity, fetched with `notification(id:)`. */
export function rootEntitySelection(
  info: SelectionInfo & Pick<GraphQLResolveInfo, 'path'>,
  queryField: string,
): EntitySelection {
  return entitySelection(queryField, [[String(info.path.key), info.fieldNodes]], info);
}

export function entitySelection(
  queryField: string,
  targets: ReadonlyArray<readonly [string, ReadonlyArray<FieldNode>]>,
  info: Pick<GraphQLResolveInfo, 'fragments' | 'operation' | 'variableValues'>,
): EntitySelection {
  const declared = info.operation.variableDefinitions ?? [];
  const idVariable = uniqueName('otklikEntityId', new Set(declared.map((d) => d.variable.name.value)));
  const idArgument = {
    kind: Kind.ARGUMENT,
    name: name('id'),
    value: { kind: Kind.VARIABLE, name: name(idVariable) },
  } as const;

  // Without any selection of the entity, still ask for it: a null answer means the viewer may not see it.
  const wanted = targets.length > 0 ? targets : [[queryField, []] as const];
  const fields: FieldNode[] = wanted.map(([responseKey, nodes]) => ({
    kind: Kind.FIELD,
    alias: responseKey === queryField ? undefined : name(responseKey),
    name: name(queryField),
    arguments: [idArgument],
    selectionSet: selectionSet(nodes.flatMap((n) => n.selectionSet?.selections ?? [])),
  }));

  const fragments = usedFragments(fields, info.fragments);
  const usedVariables = variablesIn([...fields, ...fragments]);
  const variableDefinitions: VariableDefinitionNode[] = [
    {
      kind: Kind.VARIABLE_DEFINITION,
      variable: { kind: Kind.VARIABLE, name: name(idVariable) },
      type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: name('ID') } },
    },
    ...declared.filter((d) => usedVariables.has(d.variable.name.value)),
  ];
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        name: name('OtklikSubscriptionEntity'),
        variableDefinitions,
        selectionSet: selectionSet(fields),
      },
      ...fragments,
    ],
  };
  const variables = Object.fromEntries(
    [...usedVariables].filter((v) => v in info.variableValues).map((v) => [v, info.variableValues[v]]),
  );
  return { query: print(withTypenames(document)), variables, idVariable, responseKeys: wanted.map(([key]) => key) };
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const selectionSet = (selections: readonly SelectionNode[]): SelectionSetNode => ({
  kind: Kind.SELECTION_SET,
  selections: selections.length > 0 ? selections : [{ kind: Kind.FIELD, name: name('__typename') }],
});

function uniqueName(base: string, taken: Set<string>): string {
  let candidate = base;
  for (let i = 2; taken.has(candidate); i += 1) candidate = `${base}${i}`;
  return candidate;
}

function usedFragments(
  roots: readonly FieldNode[],
  all: Record<string, FragmentDefinitionNode>,
): FragmentDefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const walk = (node: FieldNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = all[spread.name.value];
        if (fragment && !found.has(fragment.name.value)) {
          found.set(fragment.name.value, fragment);
          walk(fragment);
        }
      },
    });
  roots.forEach(walk);
  return [...found.values()];
}

function variablesIn(nodes: ReadonlyArray<FieldNode | FragmentDefinitionNode>): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) visit(node, { Variable: (v) => void names.add(v.name.value) });
  return names;
}

/** Adds `__typename` to every selection set, so interfaces and unions resolve when the data is read back. */
function withTypenames(document: DocumentNode): DocumentNode {
  return visit(document, {
    SelectionSet: {
      leave(set) {
        const hasTypename = set.selections.some(
          (s) => s.kind === Kind.FIELD && s.name.value === '__typename' && !s.alias,
        );
        return hasTypename
          ? set
          : { ...set, selections: [...set.selections, { kind: Kind.FIELD, name: name('__typename') }] };
      },
    },
  });
}
