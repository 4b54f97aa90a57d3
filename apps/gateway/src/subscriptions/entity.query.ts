import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLObjectType,
  GraphQLResolveInfo,
  Kind,
  OperationTypeNode,
  print as printDocument,
  SelectionNode,
  SelectionSetNode,
  VariableDefinitionNode,
  visit,
} from 'graphql';
// graphql-js's own field collection (fragments, @skip/@include), exported by the module though marked internal.
import { collectSubfields } from 'graphql/execution/collectFields';

/**
 * The subscriber's selection of an entity, as a query to run through the federated graph for a
 * batch of n entities: for batch index i and each occurrence (response key) of the entity,
 * `e<i>_<responseKey>: case(id: $otklikEntityId<i>) { …the subscriber's selection… }`.
 * readBatch turns the answer back into one object per entity keyed by the subscriber's response
 * keys (aliases), which is how the subscription's field resolvers read it.
 */
export interface EntitySelection {
  /** The printed query for a batch of n entities (n ≥ 1); the same text for the same n, so query plans are reused. */
  queryFor(n: number): string;
  /** The subscriber's variables that the selection uses. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** Prefix of the variables that take the entity ids: `<idVariable><i>` for batch index i. */
  readonly idVariable: string;
  /** One per aliased occurrence of the entity field; all must come back non-null for the entity to be visible. */
  readonly responseKeys: readonly string[];
}

/** Response key in the batched query of an occurrence of entity i. */
export const batchAlias = (index: number, responseKey: string): string => `e${index}_${responseKey}`;

/** The variables of the batched query for these ids (in batch order). */
export function batchVariables(selection: EntitySelection, ids: readonly string[]): Record<string, unknown> {
  const variables: Record<string, unknown> = { ...selection.variables };
  ids.forEach((id, i) => (variables[`${selection.idVariable}${i}`] = id));
  return variables;
}

/**
 * The answer to the batched query, one entry per entity in batch order: the entity's data keyed
 * by the subscriber's response keys, or null when any occurrence came back null (the viewer may
 * not see it, or it failed).
 */
export function readBatch(
  selection: EntitySelection,
  data: Readonly<Record<string, unknown>> | null | undefined,
  n: number,
): Array<Record<string, unknown> | null> {
  return Array.from({ length: n }, (_, i) => {
    const entity: Record<string, unknown> = {};
    for (const key of selection.responseKeys) {
      const value = data?.[batchAlias(i, key)];
      if (value == null) return null;
      entity[key] = value;
    }
    return entity;
  });
}

/** Batch index of a response key of the batched query (`e<i>_…`), if it is one. */
export function batchIndexOf(responseKey: unknown): number | undefined {
  const match = typeof responseKey === 'string' ? /^e(\d+)_/.exec(responseKey) : null;
  return match ? Number(match[1]) : undefined;
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
  const idVariable = idVariablePrefix(declared.map((d) => d.variable.name.value));

  // Without any selection of the entity, still ask for it: a null answer means the viewer may not see it.
  const wanted = targets.length > 0 ? targets : [[queryField, []] as const];
  const occurrences = wanted.map(([responseKey, nodes]) => ({
    responseKey,
    selectionSet: withTypenames(selectionSet(nodes.flatMap((n) => n.selectionSet?.selections ?? []))),
  }));
  const fragments = usedFragments(
    occurrences.map((o) => o.selectionSet),
    info.fragments,
  );
  const usedVariables = variablesIn([...occurrences.map((o) => o.selectionSet), ...fragments]);
  const subscriberVariables = declared.filter((d) => usedVariables.has(d.variable.name.value));
  const typedFragments = fragments.map(withTypenames);

  const printQuery = (n: number): string => {
    const ids = Array.from({ length: n }, (_, i) => name(`${idVariable}${i}`));
    const fields = ids.flatMap((id, i): FieldNode[] =>
      occurrences.map((o) => ({
        kind: Kind.FIELD,
        alias: name(batchAlias(i, o.responseKey)),
        name: name(queryField),
        arguments: [{ kind: Kind.ARGUMENT, name: name('id'), value: { kind: Kind.VARIABLE, name: id } }],
        selectionSet: o.selectionSet,
      })),
    );
    const variableDefinitions: VariableDefinitionNode[] = [
      ...ids.map((id): VariableDefinitionNode => ({
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: id },
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: name('ID') } },
      })),
      ...subscriberVariables,
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
        ...typedFragments,
      ],
    };
    return printDocument(document);
  };

  const variables = Object.fromEntries(
    [...usedVariables].filter((v) => v in info.variableValues).map((v) => [v, info.variableValues[v]]),
  );
  return {
    queryFor: cachedPerSize(printQuery),
    variables,
    idVariable,
    responseKeys: wanted.map(([key]) => key),
  };
}

/** Printed queries kept per selection; sizes beyond this are printed again when they come back (cheap next to running them). */
const CACHED_SIZES = 16;

/** Memoises the printed query per batch size, keeping the most recently used CACHED_SIZES of them. */
function cachedPerSize(print: (n: number) => string): (n: number) => string {
  const cache = new Map<number, string>();
  return (n) => {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`a batch holds at least one entity, not ${n}`);
    let query = cache.get(n);
    if (query === undefined) {
      query = print(n);
      if (cache.size >= CACHED_SIZES) cache.delete(cache.keys().next().value as number);
    } else {
      cache.delete(n);
    }
    cache.set(n, query);
    return query;
  };
}

/**
 * A prefix for the id variables (`<prefix>0`, `<prefix>1`, …) that no variable of the
 * subscriber's operation can collide with.
 */
function idVariablePrefix(declared: readonly string[]): string {
  const base = 'otklikEntityId';
  const collides = (prefix: string) =>
    declared.some((v) => v.startsWith(prefix) && /^\d+$/.test(v.slice(prefix.length)));
  let candidate = base;
  for (let i = 2; collides(candidate); i += 1) candidate = `${base}${i}_`;
  return candidate;
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const selectionSet = (selections: readonly SelectionNode[]): SelectionSetNode => ({
  kind: Kind.SELECTION_SET,
  selections: selections.length > 0 ? selections : [{ kind: Kind.FIELD, name: name('__typename') }],
});

function usedFragments(
  roots: readonly SelectionSetNode[],
  all: Record<string, FragmentDefinitionNode>,
): FragmentDefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const walk = (node: SelectionSetNode | FragmentDefinitionNode) =>
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

function variablesIn(nodes: ReadonlyArray<SelectionSetNode | FragmentDefinitionNode>): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) visit(node, { Variable: (v) => void names.add(v.name.value) });
  return names;
}

/** Adds `__typename` to every selection set, so interfaces and unions resolve when the data is read back. */
function withTypenames<N extends SelectionSetNode | FragmentDefinitionNode>(node: N): N {
  return visit(node, {
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
