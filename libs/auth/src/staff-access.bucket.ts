import { JetStreamApiCodes, JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
import { KV, Kvm } from '@nats-io/kv';
import { nanos, NatsConnection } from '@nats-io/nats-core';
import {
  epochSeconds,
  LoginAccess,
  loginKey,
  mergeLoginAccess,
  parseStaffAccessEntry,
  sessionKey,
  staffAccessBucket,
} from './staff-access';

/** KV keeps each bucket in a stream of this name. */
const streamOf = (bucket: string) => `KV_${bucket}`;

/**
 * The gateway's side: creates the bucket, or brings its max age to `maxAgeMs` (every entry then
 * expires on its own once no token it could refuse is still valid). One value per key.
 */
export async function ensureStaffAccessBucket(nc: NatsConnection, eventsPrefix: string, maxAgeMs: number): Promise<KV> {
  const name = staffAccessBucket(eventsPrefix);
  const kv = await new Kvm(nc).create(name, { history: 1, ttl: maxAgeMs });
  const jsm = await jetstreamManager(nc);
  const { config } = await jsm.streams.info(streamOf(name));
  const maxAge = nanos(maxAgeMs);
  if (config.max_age !== maxAge) {
    // The server refuses a de-duplication window longer than the max age.
    await jsm.streams.update(streamOf(name), {
      ...config,
      max_age: maxAge,
      duplicate_window: Math.min(config.duplicate_window, maxAge),
    });
  }
  return kv;
}

/**
 * Binds to the bucket without creating it (workflow's side: the gateways own its settings). A
 * missing bucket shows as a failing write, never as a write that went nowhere.
 */
export function openStaffAccessBucket(nc: NatsConnection, eventsPrefix: string): Promise<KV> {
  return new Kvm(nc).open(staffAccessBucket(eventsPrefix));
}

const json = (value: object) => JSON.stringify(value);
/** Tries of a read-merge-write that lost to concurrent writers. */
const MAX_ATTEMPTS = 10;
const isWrongLastSequence = (error: unknown) =>
  error instanceof JetStreamApiError &&
  (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
    error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown);

/** Writes to the staff access list (workflow, after the change is committed; tests). */
export class StaffAccessWriter {
  constructor(private readonly bucket: () => Promise<KV>) {}

  /** Every token of the login issued at or before `notBefore` is refused from now on. */
  revokeTokensOf(login: string, reason: string, notBefore: Date = new Date()): Promise<LoginAccess> {
    return this.changeLogin(login, { notBefore: epochSeconds(notBefore), reason, at: epochSeconds(new Date()) });
  }

  /** The login's roles changed: gateways drop what they cached of it and re-check its live connections; tokens stay valid. */
  accessChanged(login: string, reason: string): Promise<LoginAccess> {
    return this.changeLogin(login, { reason, at: epochSeconds(new Date()) });
  }

  /** One token (its `jti`) or sign-in session (its `sid`) is refused from now on. */
  async revokeSession(id: string, reason: string): Promise<void> {
    const kv = await this.bucket();
    await kv.put(sessionKey(id), json({ reason, at: epochSeconds(new Date()) }));
  }

  /** Read, merge, write only if nobody wrote meanwhile (two coordinators at once keep both changes). */
  private async changeLogin(login: string, change: LoginAccess): Promise<LoginAccess> {
    const kv = await this.bucket();
    const key = loginKey(login);
    for (let attempt = 1; ; attempt++) {
      const current = await kv.get(key);
      const previous =
        current?.operation === 'PUT'
          ? (parseStaffAccessEntry(key, current.json<unknown>()) as { access: LoginAccess })
          : null;
      const next = mergeLoginAccess(previous?.access ?? null, change);
      try {
        if (current) await kv.update(key, json(next), current.revision);
        else await kv.create(key, json(next));
        return next;
      } catch (error) {
        if (!isWrongLastSequence(error) || attempt >= MAX_ATTEMPTS) throw error;
        // Someone wrote between our read and write: read again, a little later than the others.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }
}
