import { ConfigError } from '@otklik/service-kit';
import { loadWorkflowConfig, readAttachmentStorage, readRepeatSettings } from './workflow.config';

const CWD = '/srv/otklik';
const S3 = { ATTACHMENTS_STORAGE: 's3', S3_BUCKET: 'otklik-attachments' };

function refusal(env: Record<string, string>, production = false): ConfigError {
  try {
    readAttachmentStorage(env, production, CWD);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('the settings were accepted');
}

describe('workflow’s configuration: where attachments are kept (read once at start)', () => {
  it('by default: local disk in var/attachments of the folder the app starts in, served by the gateway of npm start', () => {
    expect(readAttachmentStorage({}, false, CWD)).toEqual({
      kind: 'local',
      directory: '/srv/otklik/var/attachments',
      publicUrl: 'http://127.0.0.1:4000',
    });
  });

  it('ATTACHMENTS_DIR, relative or absolute, and ATTACHMENTS_PUBLIC_URL', () => {
    expect(
      readAttachmentStorage(
        { ATTACHMENTS_DIR: 'data/files', ATTACHMENTS_PUBLIC_URL: 'https://otklik.example.ru' },
        false,
        CWD,
      ),
    ).toMatchObject({ directory: '/srv/otklik/data/files', publicUrl: 'https://otklik.example.ru' });
    expect(readAttachmentStorage({ ATTACHMENTS_DIR: '/var/lib/otklik' }, false, CWD)).toMatchObject({
      directory: '/var/lib/otklik',
    });
  });

  it('production with local storage needs the public address: 127.0.0.1 would reach no one', () => {
    const error = refusal({}, true);
    expect(error.setting).toBe('ATTACHMENTS_PUBLIC_URL');
    expect(readAttachmentStorage({ ATTACHMENTS_PUBLIC_URL: 'https://otklik.example.ru' }, true, CWD).kind).toBe(
      'local',
    );
  });

  it('ATTACHMENTS_PUBLIC_URL must be http(s)', () => {
    expect(refusal({ ATTACHMENTS_PUBLIC_URL: 'ftp://x' }).setting).toBe('ATTACHMENTS_PUBLIC_URL');
  });

  it('ATTACHMENTS_STORAGE is local or s3, nothing else', () => {
    const error = refusal({ ATTACHMENTS_STORAGE: 'gcs' });
    expect(error.message).toBe('ATTACHMENTS_STORAGE: must be local or s3, got "gcs"');
  });

  it('s3: every setting read', () => {
    expect(
      readAttachmentStorage(
        {
          ...S3,
          S3_ENDPOINT: 'https://storage.yandexcloud.net',
          S3_REGION: 'ru-central1',
          S3_ACCESS_KEY_ID: 'key-id',
          S3_SECRET_ACCESS_KEY: 'secret',
          S3_FORCE_PATH_STYLE: 'true',
        },
        true,
        CWD,
      ),
    ).toEqual({
      kind: 's3',
      bucket: 'otklik-attachments',
      region: 'ru-central1',
      endpoint: 'https://storage.yandexcloud.net',
      forcePathStyle: true,
      credentials: { accessKeyId: 'key-id', secretAccessKey: 'secret' },
    });
  });

  it('s3: the bucket alone is enough (AWS, region us-east-1, the SDK’s own credentials)', () => {
    expect(readAttachmentStorage(S3, true, CWD)).toEqual({
      kind: 's3',
      bucket: 'otklik-attachments',
      region: 'us-east-1',
      forcePathStyle: false,
    });
  });

  it.each([
    [{ ATTACHMENTS_STORAGE: 's3' }, 'S3_BUCKET', 'S3_BUCKET: is required with ATTACHMENTS_STORAGE=s3'],
    [{ ...S3, S3_BUCKET: 'Otklik_Files' }, 'S3_BUCKET', undefined],
    [{ ...S3, S3_ACCESS_KEY_ID: 'key-id' }, 'S3_SECRET_ACCESS_KEY', undefined],
    [{ ...S3, S3_SECRET_ACCESS_KEY: 'secret' }, 'S3_ACCESS_KEY_ID', undefined],
    [{ ...S3, S3_ENDPOINT: 'storage.example:9000' }, 'S3_ENDPOINT', undefined],
    [{ ...S3, S3_FORCE_PATH_STYLE: 'sometimes' }, 'S3_FORCE_PATH_STYLE', undefined],
    [{ ...S3, S3_REGION: 'RU CENTRAL' }, 'S3_REGION', undefined],
  ])('a bad s3 setting stops the app, naming it (%j)', (env, setting, message) => {
    const error = refusal(env);
    expect(error.setting).toBe(setting);
    if (message) expect(error.message).toBe(message);
  });

  it('a secret is never repeated in a refusal', () => {
    const error = refusal({ ...S3, S3_SECRET_ACCESS_KEY: 'very-secret-value' });
    expect(error.message).not.toContain('very-secret-value');
  });

  it('loadWorkflowConfig: the shared settings and the storage together', () => {
    const config = loadWorkflowConfig({ WORKFLOW_PORT: '5002' }, CWD);
    expect(config).toMatchObject({ service: 'workflow', port: 5002, attachments: { kind: 'local' } });
  });
});

describe('workflow’s configuration: the window of repeat detection (cl. 9)', () => {
  it('30 days by default; REPEAT_WINDOW_DAYS sets it', () => {
    expect(readRepeatSettings({})).toEqual({ windowDays: 30 });
    expect(readRepeatSettings({ REPEAT_WINDOW_DAYS: '14' })).toEqual({ windowDays: 14 });
    expect(loadWorkflowConfig({ REPEAT_WINDOW_DAYS: '7' }, CWD).repeats).toEqual({ windowDays: 7 });
  });

  it.each(['0', '366', '2.5', 'month', '-3'])('REPEAT_WINDOW_DAYS=%s is refused, naming the setting', (value) => {
    expect(() => readRepeatSettings({ REPEAT_WINDOW_DAYS: value })).toThrow(
      new ConfigError('REPEAT_WINDOW_DAYS', `must be a whole number of days, 1–365, got "${value}"`),
    );
  });
});
