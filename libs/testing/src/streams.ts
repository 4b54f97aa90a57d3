import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** Deletes the two streams of a test's events prefix (`<PREFIX>_EVENTS`, `<PREFIX>_DLQ`), if they exist. */
export async function deleteEventStreams(nc: NatsConnection, prefix: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for (const stream of [`${prefix.toUpperCase()}_EVENTS`, `${prefix.toUpperCase()}_DLQ`]) {
    await jsm.streams.delete(stream).catch(() => undefined);
  }
}
