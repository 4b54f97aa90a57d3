import { jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';

/**
 * Deletes the streams of a test's events prefix, where they exist: its events (`<PREFIX>_EVENTS`,
 * `<PREFIX>_DLQ`) and the streams behind its KV buckets (`KV_<prefix>-*`, such as the staff access
 * list's `<prefix>-staff-access`), which would otherwise stay on the shared NATS.
 */
export async function deleteEventStreams(nc: NatsConnection, prefix: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const events = [`${prefix.toUpperCase()}_EVENTS`, `${prefix.toUpperCase()}_DLQ`];
  const buckets: string[] = [];
  for await (const name of jsm.streams.names()) {
    if (name.startsWith(`KV_${prefix}-`)) buckets.push(name);
  }
  for (const stream of [...events, ...buckets]) {
    await jsm.streams.delete(stream).catch(() => undefined);
  }
}

/** deleteEventStreams over a connection of its own, for specs that hold none (e.g. a gateway's). */
export async function deleteTestStreams(natsUrl: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    await deleteEventStreams(nc, prefix);
  } finally {
    await nc.close();
  }
}
