import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase, withDatabase } from '@otklik/persistence';

/** The server tests use: DATABASE_URL (as `npm test` resolved it) or the local default. */
export const testServerUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/otklik';
export const testNatsUrl = (): string => process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export const uniqueSuffix = (): string => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/** A fresh database for one test file; drop it in afterAll. */
export async function createTestDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `otklik_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${uniqueSuffix()}`;
  const url = withDatabase(testServerUrl(), name);
  await ensureDatabase(url);
  return { url, drop: () => dropDatabase(url) };
}

/** A NATS subject/stream prefix of this test file alone, so runs never collide. */
export const testEventsPrefix = (): string => `t${uniqueSuffix()}`;
