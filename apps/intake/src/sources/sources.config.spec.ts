import { randomBytes } from 'node:crypto';
import { ConfigError } from '@otklik/service-kit';
import { loadSourcesConfig } from './sources.config';

const configError = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadSourcesConfig: the master keys and the public address, read at start', () => {
  it('development without OTKLIK_SECRET_KEYS: the development key, said to be so; no public URL', () => {
    const config = loadSourcesConfig({}, false);
    expect(config.developmentKeys).toBe(true);
    expect(config.keyring.current.id).toBe('dev');
    expect(config.publicUrl).toBeNull();
  });

  it('production without OTKLIK_SECRET_KEYS: intake refuses to start, naming the variable', () => {
    const error = configError(() => loadSourcesConfig({ NODE_ENV: 'production' }, true));
    expect(error.setting).toBe('OTKLIK_SECRET_KEYS');
    expect(error.message).toMatch(/^OTKLIK_SECRET_KEYS: is required in production/);
  });

  it('a malformed keyring is a ConfigError naming the variable and the entry', () => {
    const error = configError(() => loadSourcesConfig({ OTKLIK_SECRET_KEYS: 'k1:abc' }, false));
    expect(error.message).toMatch(/^OTKLIK_SECRET_KEYS: entry 1 \(id "k1"\): the key must be 32 random bytes/);
  });

  it('with keys and INTAKE_PUBLIC_URL: those keys, the URL without its trailing slash', () => {
    const config = loadSourcesConfig(
      {
        OTKLIK_SECRET_KEYS: `k2:${randomBytes(32).toString('base64')},k1:${randomBytes(32).toString('base64')}`,
        INTAKE_PUBLIC_URL: 'https://intake.kalmansky.example/',
      },
      true,
    );
    expect(config.keyring.ids).toEqual(['k2', 'k1']);
    expect(config.developmentKeys).toBe(false);
    expect(config.publicUrl).toBe('https://intake.kalmansky.example');
  });

  it('FEED addresses stay on the public internet unless INTAKE_FEEDS_ALLOW_PRIVATE=true', () => {
    expect(loadSourcesConfig({}, false).feedAddresses).toEqual({ allowPrivate: false });
    expect(loadSourcesConfig({ INTAKE_FEEDS_ALLOW_PRIVATE: 'true' }, false).feedAddresses).toEqual({
      allowPrivate: true,
    });
    expect(configError(() => loadSourcesConfig({ INTAKE_FEEDS_ALLOW_PRIVATE: '1' }, false)).setting).toBe(
      'INTAKE_FEEDS_ALLOW_PRIVATE',
    );
  });

  it('INTAKE_PUBLIC_URL must be an http(s) URL', () => {
    expect(configError(() => loadSourcesConfig({ INTAKE_PUBLIC_URL: 'intake.example' }, false)).setting).toBe(
      'INTAKE_PUBLIC_URL',
    );
  });
});
