import { operationHash, PersistedOperations } from './persisted.operations';

describe('the allow-list of persisted operations', () => {
  const query = 'query Me { me { login } }';
  const hash = operationHash(query);
  const list = new PersistedOperations(new Map([[hash, query]]));

  it('allows a listed operation by its exact text or by its hash alone', () => {
    expect(list.allows({ query })).toBe(true);
    expect(list.allows({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } })).toBe(true);
  });

  it('refuses anything else: another text (even one space apart), an unknown hash, nothing', () => {
    expect(list.allows({ query: 'query Me {  me { login } }' })).toBe(false);
    expect(list.allows({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } })).toBe(false);
    expect(list.allows({})).toBe(false);
    // A listed hash does not vouch for a different text sent with it.
    expect(
      list.allows({ query: '{ __schema { types { name } } }', extensions: { persistedQuery: { sha256Hash: hash } } }),
    ).toBe(false);
  });

  it('answers Apollo Server’s persisted-query cache from the list, and keeps nothing it is given', async () => {
    const cache = list.apolloCache();
    await expect(cache.get(`apq:${hash}`)).resolves.toBe(query);
    await cache.set(`apq:${'a'.repeat(64)}`, '{ me { login } }');
    await expect(cache.get(`apq:${'a'.repeat(64)}`)).resolves.toBeUndefined();
  });
});
