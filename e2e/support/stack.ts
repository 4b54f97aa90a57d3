import { connect } from '@nats-io/transport-node';
import {
  createTestDatabase,
  deleteEventStreams,
  Stack,
  startStack,
  testEventsPrefix,
  testNatsUrl,
} from '@otklik/testing';

/** A stack of the four apps on a fresh database and events prefix of its own, and how to take it all down. */
export interface E2eStack {
  stack: Stack;
  /** The stack's own database (superuser), for fixtures no API makes yet. */
  databaseUrl: string;
  stop(): Promise<void>;
}

/** `env`: extra settings for every app (e.g. VK_API_URL, TELEGRAM_API_URL pointed at local platform servers). */
export async function startE2eStack(name: string, env: Record<string, string> = {}): Promise<E2eStack> {
  const db = await createTestDatabase(name);
  const prefix = testEventsPrefix();
  let stack: Stack;
  try {
    stack = await startStack({
      databaseUrl: db.url,
      natsUrl: testNatsUrl(),
      eventsPrefix: prefix,
      logLevel: 'info',
      env,
    });
  } catch (error) {
    await db.drop();
    throw error;
  }
  return {
    stack,
    databaseUrl: db.url,
    async stop() {
      await stack.stop();
      const nc = await connect({ servers: testNatsUrl() });
      await deleteEventStreams(nc, prefix);
      await nc.close();
      await db.drop();
    },
  };
}
