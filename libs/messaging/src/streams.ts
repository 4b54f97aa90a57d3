import { JetStreamApiError, JetStreamManager, RetentionPolicy, StorageType, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { streamNames } from './messaging.options';

const DAY_MS = 24 * 60 * 60 * 1000;

export function streamConfigs(prefix: string): Array<Partial<StreamConfig> & { name: string; subjects: string[] }> {
  const names = streamNames(prefix);
  return [
    {
      name: names.events,
      subjects: [`${prefix}.>`],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(7 * DAY_MS),
      // Nats-Msg-Id de-duplication window: an outbox row republished after a crash is dropped.
      duplicate_window: nanos(2 * 60 * 1000),
    },
    {
      name: names.deadLetters,
      subjects: [`${prefix}-dlq.>`],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(30 * DAY_MS),
    },
  ];
}

/** Creates the streams, or brings their settings up to date; safe to run from every replica at once. */
export async function ensureStreams(jsm: JetStreamManager, prefix: string): Promise<void> {
  for (const config of streamConfigs(prefix)) {
    try {
      await jsm.streams.info(config.name);
      await jsm.streams.update(config.name, config);
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.status !== 404) throw error;
      try {
        await jsm.streams.add(config);
      } catch (raceError) {
        // Another replica created it between our info and our add.
        if (!(raceError instanceof JetStreamApiError) || !/already in use/i.test(raceError.message)) throw raceError;
      }
    }
  }
}
