import { ConfigError } from '@otklik/service-kit';

/** How the retention job of an intake replica purges what 152-FZ says not to keep (read once at boot, STYLE.md §6). */
export interface RetentionSettings {
  /** INTAKE_RAW_RETENTION_DAYS (default 30): how long a message keeps the payload its platform sent. */
  rawRetentionDays: number;
  /**
   * INTAKE_DELIVERY_RETENTION_DAYS (default 7): how long a platform's delivery id is remembered, so
   * that its retries are answered without being stored again. Platforms retry for hours, not days;
   * a retry after that is still caught by the message's own (source, external id) key.
   */
  deliveryRetentionDays: number;
  /** How often the job runs (also once at start). */
  everyMs: number;
  /** Rows per transaction: short locks, and replicas share the work batch by batch. */
  batchSize: number;
}

export const RETENTION_DEFAULTS: RetentionSettings = {
  rawRetentionDays: 30,
  deliveryRetentionDays: 7,
  everyMs: 60 * 60 * 1000,
  batchSize: 1000,
};

/** Ten years: anything longer is a typo, not a policy. */
const MAX_DAYS = 3650;

function days(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= MAX_DAYS)) {
    throw new ConfigError(name, `must be a whole number of days from 1 to ${MAX_DAYS}, got "${raw}"`);
  }
  return value;
}

export function loadRetentionSettings(env: NodeJS.ProcessEnv): RetentionSettings {
  return {
    ...RETENTION_DEFAULTS,
    rawRetentionDays: days(env, 'INTAKE_RAW_RETENTION_DAYS', RETENTION_DEFAULTS.rawRetentionDays),
    deliveryRetentionDays: days(env, 'INTAKE_DELIVERY_RETENTION_DAYS', RETENTION_DEFAULTS.deliveryRetentionDays),
  };
}
