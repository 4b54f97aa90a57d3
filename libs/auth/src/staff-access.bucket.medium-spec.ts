import { jetstreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { loginKey, parseStaffAccessEntry, sessionKey, staffAccessBucket } from './staff-access';
import { ensureStaffAccessBucket, openStaffAccessBucket, StaffAccessWriter } from './staff-access.bucket';

// Medium: the staff access bucket on the real NATS (JetStream KV), under a prefix of the test's own.
// (libs/testing's helpers depend on this library, so its two are written out here.)
const testNatsUrl = () => process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

describe('staff access bucket (NATS KV)', () => {
  const prefix = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const stream = `KV_${staffAccessBucket(prefix)}`;
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers: testNatsUrl() });
  });
  afterAll(async () => {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
    await nc.close();
  });

  const entry = async (key: string) => {
    const kv = await openStaffAccessBucket(nc, prefix);
    const found = await kv.get(key);
    return found ? parseStaffAccessEntry(key, found.json<unknown>()) : null;
  };

  it('a write before any gateway made the bucket fails: never a write that went nowhere', async () => {
    const writer = new StaffAccessWriter(() => openStaffAccessBucket(nc, prefix));
    await expect(writer.accessChanged('head', 'role granted')).rejects.toThrow();
  });

  it('the gateway makes the bucket with one value per key and the max age it needs, and changes the max age when its setting does', async () => {
    await ensureStaffAccessBucket(nc, prefix, 3_630_000);
    const jsm = await jetstreamManager(nc);
    const first = (await jsm.streams.info(stream)).config;
    expect([first.max_age, first.max_msgs_per_subject]).toEqual([nanos(3_630_000), 1]);
    await ensureStaffAccessBucket(nc, prefix, 90_000);
    const second = (await jsm.streams.info(stream)).config;
    expect(second.max_age).toBe(nanos(90_000));
    expect(second.duplicate_window).toBeLessThanOrEqual(nanos(90_000));
    await ensureStaffAccessBucket(nc, prefix, 3_630_000);
  });

  it('workflow’s writes: a revocation, then a role change that keeps it; a session revoked', async () => {
    const writer = new StaffAccessWriter(() => openStaffAccessBucket(nc, prefix));
    const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
    await writer.revokeTokensOf('official', 'sessions revoked by coordinator: laptop stolen', notBefore);
    await writer.accessChanged('official', 'role OFFICIAL withdrawn');
    expect(await entry(loginKey('official'))).toMatchObject({
      kind: 'login',
      login: 'official',
      access: { notBefore: notBefore.getTime() / 1000, reason: 'role OFFICIAL withdrawn' },
    });
    await writer.revokeSession('jti-1', 'stolen');
    expect(await entry(sessionKey('jti-1'))).toMatchObject({ kind: 'session', id: 'jti-1' });
  });

  it('concurrent changes of one login all land, none undoing a revocation', async () => {
    const writers = Array.from({ length: 6 }, () => new StaffAccessWriter(() => openStaffAccessBucket(nc, prefix)));
    const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
    await Promise.all(
      writers.map((writer, i) =>
        i === 3 ? writer.revokeTokensOf('head', 'signed out', notBefore) : writer.accessChanged('head', `change ${i}`),
      ),
    );
    expect(await entry(loginKey('head'))).toMatchObject({ access: { notBefore: notBefore.getTime() / 1000 } });
  });
});
