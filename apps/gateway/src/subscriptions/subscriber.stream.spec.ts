import type { EventEnvelope } from '@otklik/contracts';
import { SubscriberStream, SubscriberStreamOptions } from './subscriber.stream';

const event = (id: string): EventEnvelope => ({
  eventId: id,
  type: 'case.routed',
  version: 1,
  organizationId: 'o1',
  occurredAt: '2026-11-27T08:00:00.000Z',
  correlationId: `corr-${id}`,
  data: {},
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A stream whose batches resolve to the event ids (null for `hidden`), recording each batch. */
function setup(options: Partial<SubscriberStreamOptions<string>> & { hidden?: string[] } = {}) {
  const batches: string[][] = [];
  const callbacks = { onOverflow: jest.fn(), onResolveError: jest.fn(), onClose: jest.fn() };
  const stream = new SubscriberStream<string>({
    maxQueue: 1000,
    resolveBatch: (events) => {
      batches.push(events.map((e) => e.eventId));
      return Promise.resolve(events.map((e) => (options.hidden?.includes(e.eventId) ? null : e.eventId)));
    },
    ...callbacks,
    ...options,
  });
  const offer = (...ids: string[]) => ids.forEach((id) => stream.offer(event(id)));
  const take = async (count: number) => {
    const values: string[] = [];
    for (let i = 0; i < count; i += 1) values.push((await stream.next()).value as string);
    return values;
  };
  return { stream, batches, offer, take, ...callbacks };
}

describe('SubscriberStream: batches', () => {
  it('a burst of 250 is resolved in batches of 100, 100 and 50, each taken only once the previous is handed out', async () => {
    const { stream, batches, offer, take } = setup();
    const ids = Array.from({ length: 250 }, (_, i) => `e${i}`);
    offer(...ids);
    expect(await take(100)).toEqual(ids.slice(0, 100));
    expect(batches.map((b) => b.length)).toEqual([100]);
    expect(stream.queued).toBe(150);
    expect(await take(150)).toEqual(ids.slice(100));
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat()).toEqual(ids);
  });

  it('maxBatch sets the batch size', async () => {
    const { batches, offer, take } = setup({ maxBatch: 3 });
    offer('a', 'b', 'c', 'd');
    expect(await take(4)).toEqual(['a', 'b', 'c', 'd']);
    expect(batches).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('nulls are skipped, the others keep their order', async () => {
    const { batches, offer, take } = setup({ hidden: ['x1', 'x2', 'x3'] });
    offer('x1', 'a', 'x2', 'b', 'c', 'x3');
    expect(await take(3)).toEqual(['a', 'b', 'c']);
    expect(batches).toHaveLength(1);
  });

  it('one queued event is a batch of one: a waiting pull does not wait for more', async () => {
    const { stream, batches, offer } = setup();
    const next = stream.next();
    await settle();
    offer('only');
    await expect(next).resolves.toEqual({ value: 'only', done: false });
    expect(batches).toEqual([['only']]);
  });

  it('a failed batch is reported once with all its events, skipped, and the stream goes on', async () => {
    let fail = true;
    const { stream, offer, onResolveError } = setup({
      resolveBatch: (events) =>
        fail ? ((fail = false), Promise.reject(new Error('down'))) : Promise.resolve(events.map((e) => e.eventId)),
    });
    offer('a', 'b');
    const next = stream.next();
    await settle();
    offer('c');
    await expect(next).resolves.toEqual({ value: 'c', done: false });
    expect(onResolveError).toHaveBeenCalledTimes(1);
    const [error, events] = onResolveError.mock.calls[0] as [Error, EventEnvelope[]];
    expect(error.message).toBe('down');
    expect(events.map((e) => e.eventId)).toEqual(['a', 'b']);
  });

  it('a resolver answering the wrong number of results fails the batch', async () => {
    const { stream, offer, onResolveError } = setup({ resolveBatch: () => Promise.resolve(['one']) });
    offer('a', 'b');
    const next = stream.next();
    await settle();
    expect(onResolveError).toHaveBeenCalledTimes(1);
    stream.close();
    await expect(next).resolves.toEqual({ value: undefined, done: true });
  });
});

describe('SubscriberStream: bounds and close', () => {
  it('beyond maxQueue the oldest queued events are dropped, with one overflow call until it drains', async () => {
    const { stream, offer, take, onOverflow } = setup({ maxQueue: 3 });
    offer('a', 'b', 'c', 'd', 'e');
    expect(stream.dropped).toBe(2);
    expect(stream.queued).toBe(3);
    expect(onOverflow).toHaveBeenCalledTimes(1);
    expect(await take(3)).toEqual(['c', 'd', 'e']);
    const next = stream.next();
    await settle();
    offer('f', 'g', 'h', 'i');
    expect(onOverflow).toHaveBeenCalledTimes(2);
    await expect(next).resolves.toEqual({ value: 'g', done: false });
  });

  it('close ends a pending pull, discards buffered and queued events, and calls onClose once', async () => {
    const { stream, offer, take, onClose } = setup();
    offer('a', 'b', 'c');
    expect(await take(1)).toEqual(['a']);
    offer('d');
    stream.close();
    stream.close();
    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
    expect(stream.queued).toBe(0);
    expect(onClose).toHaveBeenCalledTimes(1);
    offer('e');
    expect(stream.queued).toBe(0);
  });

  it('fail ends the stream with the error: the pending pull rejects (once), then pulls are done', async () => {
    const { stream, offer, onClose } = setup();
    const next = stream.next();
    await settle();
    offer('a');
    await next;
    const pending = stream.next();
    await settle();
    offer('b');
    stream.fail(new Error('refused'));
    await expect(pending).rejects.toThrow('refused');
    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(stream.queued).toBe(0);
  });

  it('fail from inside resolveBatch: that batch is not delivered, the pull rejects', async () => {
    const self: { stream?: SubscriberStream<string> } = {};
    const { stream, offer } = setup({
      resolveBatch: (events) => {
        self.stream?.fail(new Error('no longer yours'));
        return Promise.resolve(events.map((e) => e.eventId));
      },
    });
    self.stream = stream;
    offer('a', 'b');
    await expect(stream.next()).rejects.toThrow('no longer yours');
    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('a batch resolving after close is not delivered', async () => {
    let release: (values: string[]) => void = () => undefined;
    const { stream, offer } = setup({
      resolveBatch: () => new Promise<string[]>((resolve) => (release = resolve)),
    });
    offer('a');
    const next = stream.next();
    await settle();
    void stream.return();
    release(['a']);
    await expect(next).resolves.toEqual({ value: undefined, done: true });
  });
});
