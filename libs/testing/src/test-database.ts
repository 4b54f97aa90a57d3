import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server tests use: DATABASE_URL (as `npm test` resolved it) or the local default. */
export const testServerUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/otklik';
export const testNatsUrl = (): string => process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export const uniqueSuffix = (): string => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: withDatabase(testServerUrl(), 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database for one test file; drop it in afterAll. (Plain pg: libs/testing stands below every lib.) */
export async function createTestDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `otklik_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${uniqueSuffix()}`;
  await onServer(`create database "${name}"`);
  return {
    url: withDatabase(testServerUrl(), name),
    drop: () => onServer(`drop database if exists "${name}" with (force)`),
  };
}

/** A NATS subject/stream prefix of this test file alone, so runs never collide. */
export const testEventsPrefix = (): string => `t${uniqueSuffix()}`;
