import { jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { deleteEventStreams } from './streams';
import { testEventsPrefix, testNatsUrl } from './test-database';

// Medium (STYLE.md §13): on the shared NATS, a test's cleanup takes away everything of its
// events prefix — the event streams and its KV buckets (the staff access list) — and nothing else.

describe('deleteEventStreams: a test leaves nothing of its prefix on the shared NATS', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const prefix = testEventsPrefix();
  const other = testEventsPrefix();

  const streams = async (): Promise<string[]> => {
    const names: string[] = [];
    for await (const name of jsm.streams.names()) {
      if (name.toLowerCase().includes(prefix) || name.toLowerCase().includes(other)) names.push(name);
    }
    return names.sort();
  };

  beforeAll(async () => {
    nc = await connect({ servers: testNatsUrl() });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await deleteEventStreams(nc, other);
    await deleteEventStreams(nc, `${prefix}x`);
    await nc.close();
  });

  it('removes the prefix’s event streams and KV buckets; another prefix’s, even one it begins, stay', async () => {
    for (const p of [prefix, other]) {
      await jsm.streams.add({ name: `${p.toUpperCase()}_EVENTS`, subjects: [`${p}.>`] });
      await jsm.streams.add({ name: `${p.toUpperCase()}_DLQ`, subjects: [`${p}-dlq.>`] });
    }
    const kvm = new Kvm(nc);
    await kvm.create(`${prefix}-staff-access`);
    await kvm.create(`${prefix}-another-bucket`);
    await kvm.create(`${other}-staff-access`);
    await kvm.create(`${prefix}x-staff-access`);
    expect(await streams()).toHaveLength(8);

    await deleteEventStreams(nc, prefix);

    expect(await streams()).toEqual(
      [
        `${other.toUpperCase()}_DLQ`,
        `${other.toUpperCase()}_EVENTS`,
        `KV_${other}-staff-access`,
        `KV_${prefix}x-staff-access`,
      ].sort(),
    );
  });
});
