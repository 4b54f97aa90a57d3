import { ConfigError } from '@otklik/service-kit';
import { loadRetentionSettings, RETENTION_DEFAULTS } from './retention.settings';

describe('retention settings (152-FZ: raw payloads purged after a configurable retention)', () => {
  it('raw payloads are kept 30 days and delivery ids 7 unless told; the job runs hourly in batches of 1000', () => {
    expect(loadRetentionSettings({})).toEqual(RETENTION_DEFAULTS);
    expect(RETENTION_DEFAULTS).toEqual({
      rawRetentionDays: 30,
      deliveryRetentionDays: 7,
      everyMs: 3_600_000,
      batchSize: 1000,
    });
  });

  it('INTAKE_RAW_RETENTION_DAYS and INTAKE_DELIVERY_RETENTION_DAYS are read in whole days', () => {
    expect(
      loadRetentionSettings({ INTAKE_RAW_RETENTION_DAYS: ' 90 ', INTAKE_DELIVERY_RETENTION_DAYS: '2' }),
    ).toMatchObject({ rawRetentionDays: 90, deliveryRetentionDays: 2 });
  });

  it.each(['0', '-1', '1.5', 'thirty', '3651'])(
    'INTAKE_RAW_RETENTION_DAYS=%s stops the app with the setting’s name',
    (value) => {
      expect(() => loadRetentionSettings({ INTAKE_RAW_RETENTION_DAYS: value })).toThrow(ConfigError);
      expect(() => loadRetentionSettings({ INTAKE_RAW_RETENTION_DAYS: value })).toThrow(
        /^INTAKE_RAW_RETENTION_DAYS: must be a whole number of days from 1 to 3650/,
      );
    },
  );

  it('a bad INTAKE_DELIVERY_RETENTION_DAYS is named too', () => {
    expect(() => loadRetentionSettings({ INTAKE_DELIVERY_RETENTION_DAYS: '0' })).toThrow(
      /^INTAKE_DELIVERY_RETENTION_DAYS: /,
    );
  });
});
