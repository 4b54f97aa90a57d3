import { resolve } from 'node:path';
import { ConfigError, loadServiceConfig, readBoolean, readUrl, ServiceConfig } from '@otklik/service-kit';
import type { StorageSettings } from '@otklik/storage';
import { DEFAULT_REPEAT_WINDOW_DAYS } from './cases/case-repeat.similarity';

/** workflow's settings: those of every subgraph service, where attachments are kept, how repeats are found (STYLE.md §6). */
export interface WorkflowConfig extends ServiceConfig {
  attachments: StorageSettings;
  repeats: RepeatSettings;
}

/** Repeat detection (cl. 9, docs/repeats.md). */
export interface RepeatSettings {
  /** How many days back an earlier case may have been detected for a new message to repeat it. */
  windowDays: number;
}

/** The gateway's address in development (`npm start`): where a local store's URLs point by default. */
const DEVELOPMENT_PUBLIC_URL = 'http://127.0.0.1:4000';
/** S3's rule for bucket names (3–63 lower-case letters, digits, dots and hyphens). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const setting = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
};

/**
 * ATTACHMENTS_STORAGE=local (default): files in ATTACHMENTS_DIR (default var/attachments,
 * relative paths taken from the folder the app starts in), served by the gateway at
 * ATTACHMENTS_PUBLIC_URL. ATTACHMENTS_STORAGE=s3: an S3-compatible bucket (S3_BUCKET required;
 * S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID with S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE).
 */
export function readAttachmentStorage(
  env: NodeJS.ProcessEnv,
  production: boolean,
  cwd: string = process.cwd(),
): StorageSettings {
  const kind = setting(env, 'ATTACHMENTS_STORAGE') ?? 'local';
  if (kind === 'local') {
    const publicUrl = setting(env, 'ATTACHMENTS_PUBLIC_URL');
    if (production && !publicUrl) {
      throw new ConfigError(
        'ATTACHMENTS_PUBLIC_URL',
        'is required in production with local storage: the gateway’s address as clients and the publisher reach it',
      );
    }
    return {
      kind: 'local',
      directory: resolve(cwd, setting(env, 'ATTACHMENTS_DIR') ?? 'var/attachments'),
      publicUrl: readUrl(env, 'ATTACHMENTS_PUBLIC_URL', DEVELOPMENT_PUBLIC_URL, ['http:', 'https:']),
    };
  }
  if (kind !== 's3') throw new ConfigError('ATTACHMENTS_STORAGE', `must be local or s3, got "${kind}"`);

  const bucket = setting(env, 'S3_BUCKET');
  if (!bucket) throw new ConfigError('S3_BUCKET', 'is required with ATTACHMENTS_STORAGE=s3');
  if (!BUCKET.test(bucket)) {
    throw new ConfigError(
      'S3_BUCKET',
      `must be a bucket name (3–63 lower-case letters, digits, . or -), got "${bucket}"`,
    );
  }
  const accessKeyId = setting(env, 'S3_ACCESS_KEY_ID');
  const secretAccessKey = setting(env, 'S3_SECRET_ACCESS_KEY');
  if (!accessKeyId !== !secretAccessKey) {
    throw new ConfigError(
      accessKeyId ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID',
      'set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together, or neither (the SDK’s own credentials: environment, instance role)',
    );
  }
  const region = setting(env, 'S3_REGION') ?? 'us-east-1';
  if (!/^[a-z0-9-]{2,32}$/.test(region)) throw new ConfigError('S3_REGION', `must be a region name, got "${region}"`);
  const endpoint = setting(env, 'S3_ENDPOINT');
  return {
    kind: 's3',
    bucket,
    region,
    ...(endpoint ? { endpoint: readUrl(env, 'S3_ENDPOINT', 'https://storage.example.net', ['http:', 'https:']) } : {}),
    forcePathStyle: readBoolean(env, 'S3_FORCE_PATH_STYLE'),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  };
}

/** REPEAT_WINDOW_DAYS: whole days, 1–365 (default DEFAULT_REPEAT_WINDOW_DAYS). */
export function readRepeatSettings(env: NodeJS.ProcessEnv): RepeatSettings {
  const raw = setting(env, 'REPEAT_WINDOW_DAYS');
  if (raw === undefined) return { windowDays: DEFAULT_REPEAT_WINDOW_DAYS };
  const days = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(days >= 1 && days <= 365)) {
    throw new ConfigError('REPEAT_WINDOW_DAYS', `must be a whole number of days, 1–365, got "${raw}"`);
  }
  return { windowDays: days };
}

export function loadWorkflowConfig(env: NodeJS.ProcessEnv = process.env, cwd?: string): WorkflowConfig {
  const service = loadServiceConfig('workflow', env);
  return {
    ...service,
    attachments: readAttachmentStorage(env, service.production, cwd),
    repeats: readRepeatSettings(env),
  };
}
