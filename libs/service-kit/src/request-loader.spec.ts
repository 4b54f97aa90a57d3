import { byKeys, groupedByKeys, requestLoader } from './request-loader';

describe('requestLoader: one DataLoader per request and kind of row', () => {
  const CASES = Symbol('cases');
  const USERS = Symbol('users');

  it('fields of one request asking for the same kind of row share one batch', async () => {
    const batches: Array<readonly string[]> = [];
    const batch = (keys: readonly string[]) => {
      batches.push(keys);
      return Promise.resolve(keys.map((k) => `row ${k}`));
    };
    const request = {};
    const rows = await Promise.all([
      requestLoader(request, CASES, batch).load('a'),
      requestLoader(request, CASES, batch).load('b'),
      requestLoader(request, CASES, batch).load('a'),
    ]);
    expect(rows).toEqual(['row a', 'row b', 'row a']);
    expect(batches).toEqual([['a', 'b']]);
  });

  it('the same request and key always give the same loader; another key or request another one', () => {
    const batch = () => Promise.resolve([]);
    const request = {};
    const loader = requestLoader(request, CASES, batch);
    expect(requestLoader(request, CASES, batch)).toBe(loader);
    expect(requestLoader(request, USERS, batch)).not.toBe(loader);
    expect(requestLoader({}, CASES, batch)).not.toBe(loader);
  });

  it('nothing is shared between requests: a row cached for one viewer is never answered to another', async () => {
    const calls: string[] = [];
    const batchFor = (viewer: string) => (keys: readonly string[]) => {
      calls.push(`${viewer}:${keys.join(',')}`);
      return Promise.resolve(keys.map((k) => `${viewer} sees ${k}`));
    };
    const first = await requestLoader({}, CASES, batchFor('alice')).load('c1');
    const second = await requestLoader({}, CASES, batchFor('bob')).load('c1');
    expect([first, second]).toEqual(['alice sees c1', 'bob sees c1']);
    expect(calls).toEqual(['alice:c1', 'bob:c1']);
  });

  it('an Error in the batch result rejects only the key it stands for', async () => {
    const request = {};
    const loader = requestLoader<string, string>(request, CASES, (keys) =>
      Promise.resolve(keys.map((k) => (k === 'bad' ? new Error(`no case ${k}`) : `row ${k}`))),
    );
    const [good, bad] = await Promise.allSettled([loader.load('good'), loader.load('bad')]);
    expect(good).toEqual({ status: 'fulfilled', value: 'row good' });
    expect(bad).toMatchObject({ status: 'rejected', reason: new Error('no case bad') });
  });

  it('batches hold at most 500 keys', async () => {
    const sizes: number[] = [];
    const loader = requestLoader<number, number>({}, CASES, (keys) => {
      sizes.push(keys.length);
      return Promise.resolve([...keys]);
    });
    await loader.loadMany(Array.from({ length: 1201 }, (_, i) => i));
    expect(sizes).toEqual([500, 500, 201]);
  });
});

describe('byKeys: batch rows in the order of the keys', () => {
  it('puts each row at its key’s place and `missing` where there is none', () => {
    const rows = [
      { id: 'b', n: 2 },
      { id: 'a', n: 1 },
    ];
    expect(byKeys(['a', 'x', 'b', 'a'], rows, (r) => r.id, null)).toEqual([
      { id: 'a', n: 1 },
      null,
      { id: 'b', n: 2 },
      { id: 'a', n: 1 },
    ]);
  });

  it('can answer a missing key with an Error, which DataLoader rejects for that key alone', () => {
    const missing = new Error('not found');
    expect(byKeys(['a'], [], (r: { id: string }) => r.id, missing)).toEqual([missing]);
  });
});

describe('groupedByKeys: batch rows grouped by key, in the keys’ order', () => {
  it('keeps the rows’ order within a group and gives [] to a key without rows', () => {
    const rows = [
      { caseId: 'c2', at: 1 },
      { caseId: 'c1', at: 2 },
      { caseId: 'c2', at: 3 },
    ];
    expect(groupedByKeys(['c1', 'c3', 'c2'], rows, (r) => r.caseId)).toEqual([
      [{ caseId: 'c1', at: 2 }],
      [],
      [
        { caseId: 'c2', at: 1 },
        { caseId: 'c2', at: 3 },
      ],
    ]);
  });

  it('ignores rows of keys that were not asked for', () => {
    expect(groupedByKeys(['a'], [{ k: 'a' }, { k: 'z' }], (r) => r.k)).toEqual([[{ k: 'a' }]]);
  });
});
