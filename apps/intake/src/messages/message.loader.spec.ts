import type { MessageEntity } from './message.entity';
import { MessageLoader } from './message.loader';
import { inKeyOrder, MessageService } from './message.service';

const row = (id: string) => ({ id }) as MessageEntity;

describe('message references are batched per request (STYLE.md §9)', () => {
  const setup = () => {
    const findByIds = jest.fn((ids: readonly string[]) =>
      Promise.resolve(ids.map((id) => (id === 'missing' ? null : row(id)))),
    );
    const loader = new MessageLoader({ findByIds } as unknown as MessageService);
    return { findByIds, loader };
  };

  it('references resolved in the same tick become one lookup, answered in key order', async () => {
    const { findByIds, loader } = setup();
    const request = {};
    const results = await Promise.all(['b', 'a', 'missing'].map((id) => loader.load(request, id)));
    expect(findByIds).toHaveBeenCalledTimes(1);
    expect(findByIds).toHaveBeenCalledWith(['b', 'a', 'missing']);
    expect(results).toEqual([row('b'), row('a'), null]);
  });

  it('each request has its own loader, so nothing is cached across viewers', async () => {
    const { findByIds, loader } = setup();
    await loader.load({}, 'a');
    await loader.load({}, 'a');
    expect(findByIds).toHaveBeenCalledTimes(2);
  });
});

describe('inKeyOrder: one result per key, in key order, null where no row', () => {
  it('reorders rows to the keys and fills the gaps', () => {
    const rows = [row('3f0c2c4e-0000-4000-8000-000000000002'), row('3f0c2c4e-0000-4000-8000-000000000001')];
    const keys = ['3f0c2c4e-0000-4000-8000-000000000001', 'nope', '3F0C2C4E-0000-4000-8000-000000000002'];
    expect(inKeyOrder(keys, rows, (r) => r.id)).toEqual([rows[1], null, rows[0]]);
  });
});
