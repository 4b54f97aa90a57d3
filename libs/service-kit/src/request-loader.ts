import DataLoader from 'dataloader';

const loaders = new WeakMap<object, Map<symbol, DataLoader<unknown, unknown>>>();

/**
 * The DataLoader `key` of one GraphQL request (its context object): every field of the request
 * that asks for the same kind of row joins one batch, one SQL query (STYLE.md §9). Nothing is
 * shared between requests, so one viewer's rows never answer another's — each batch runs in the
 * call context, and thus the row-level-security scope, of the request that started it.
 */
export function requestLoader<K, V>(
  context: object,
  key: symbol,
  batch: (keys: readonly K[]) => Promise<ReadonlyArray<V | Error>>,
): DataLoader<K, V> {
  let forRequest = loaders.get(context);
  if (!forRequest) {
    forRequest = new Map();
    loaders.set(context, forRequest);
  }
  let loader = forRequest.get(key) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>((keys) => batch(keys), { maxBatchSize: 500 });
    forRequest.set(key, loader);
  }
  return loader;
}

/** Orders batch results by the keys asked for; a key without a row gets `missing`. */
export function byKeys<K, R, V>(
  keys: readonly K[],
  rows: readonly R[],
  keyOf: (row: R) => K,
  missing: V,
): Array<R | V> {
  const found = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((k) => found.get(k) ?? missing);
}

/** Groups batch results by key, in the keys' order; a key without rows gets []. */
export function groupedByKeys<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((k) => groups.get(k) ?? []);
}
