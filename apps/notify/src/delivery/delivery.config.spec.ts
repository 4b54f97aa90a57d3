import { loadDeliveryConfig } from './delivery.config';

const BOT = {
  NOTIFY_TELEGRAM_BOT_TOKEN: '123456:staff-bot-token-0123456789abcdef',
  NOTIFY_TELEGRAM_BOT_USERNAME: '@otklik_staff_bot',
  NOTIFY_TELEGRAM_WEBHOOK_SECRET: 'staff-secret',
};

describe('delivery settings (CONTRACT.md: SMTP_URL; the staff bot; the web client’s address)', () => {
  it('nothing set: e-mail and Telegram off, links to the development web client, deferral on', () => {
    expect(loadDeliveryConfig({}, false)).toEqual({ appUrl: 'http://localhost:3000', deferOutsideWorkingHours: true });
  });

  it('SMTP_URL set: e-mail on, from Отклик unless told otherwise', () => {
    expect(loadDeliveryConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }, false).email).toEqual({
      url: 'smtp://127.0.0.1:2525',
      from: 'Отклик <no-reply@otklik.local>',
    });
  });

  it.each([
    [{ SMTP_URL: 'http://mail.example' }, /^SMTP_URL: must start with smtp:\/\/ or smtps:\/\//],
    [
      { SMTP_URL: 'not a url with :// secret' },
      /^SMTP_URL: must be a URL such as smtp:\/\/127.0.0.1:25; the value given does not parse$/,
    ],
    [{ SMTP_URL: 'smtp://h', NOTIFY_EMAIL_FROM: 'nobody' }, /^NOTIFY_EMAIL_FROM: /],
    [
      { NOTIFY_TELEGRAM_BOT_USERNAME: 'otklik_staff_bot' },
      /^NOTIFY_TELEGRAM_BOT_TOKEN: is required with NOTIFY_TELEGRAM_BOT_USERNAME/,
    ],
    [{ ...BOT, NOTIFY_TELEGRAM_BOT_TOKEN: 'nope' }, /^NOTIFY_TELEGRAM_BOT_TOKEN: must be a bot token/],
    [{ ...BOT, NOTIFY_TELEGRAM_WEBHOOK_SECRET: '' }, /^NOTIFY_TELEGRAM_WEBHOOK_SECRET: is required/],
    [{ ...BOT, NOTIFY_TELEGRAM_BOT_USERNAME: '' }, /^NOTIFY_TELEGRAM_BOT_USERNAME: is required/],
    [{ ...BOT, TELEGRAM_API_URL: 'ftp://x' }, /^TELEGRAM_API_URL: /],
    [{ NOTIFY_DEFER_OUTSIDE_WORKING_HOURS: 'maybe' }, /^NOTIFY_DEFER_OUTSIDE_WORKING_HOURS: must be true or false/],
  ])('%o stops the app, naming the setting', (env, message) => {
    expect(() => loadDeliveryConfig(env, false)).toThrow(message);
  });

  it('a bad SMTP_URL is not repeated in the error (it may hold a password)', () => {
    expect(() => loadDeliveryConfig({ SMTP_URL: 'smtp://user:hunter2@' }, false)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });

  it('the staff bot: its name without the @, the API URL without a trailing slash', () => {
    expect(loadDeliveryConfig({ ...BOT, TELEGRAM_API_URL: 'http://127.0.0.1:9/' }, false).telegram).toEqual({
      token: BOT.NOTIFY_TELEGRAM_BOT_TOKEN,
      username: 'otklik_staff_bot',
      webhookSecret: 'staff-secret',
      apiUrl: 'http://127.0.0.1:9',
    });
  });

  it('in production with e-mail on, OTKLIK_APP_URL is required (the links would point nowhere)', () => {
    expect(() => loadDeliveryConfig({ SMTP_URL: 'smtp://mail' }, true)).toThrow(
      /^OTKLIK_APP_URL: is required in production/,
    );
    expect(
      loadDeliveryConfig({ SMTP_URL: 'smtp://mail', OTKLIK_APP_URL: 'https://otklik.gov.example/' }, true).appUrl,
    ).toBe('https://otklik.gov.example');
  });
});
