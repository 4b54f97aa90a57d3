import type { Viewer } from '@otklik/auth';
import { SourceException } from './source.exception';
import {
  checkKind,
  checkName,
  checkOverlapHours,
  checkSettings,
  checkSourceId,
  generateSecret,
  mergeCredentials,
  secretFor,
  sourceAccess,
  webhookUrl,
} from './source.rules';

const DISTRICT = '0b6f4a5e-0000-4000-8000-000000000001';
const HOUSING = '0b6f4a5e-0000-4000-8000-000000000003';
const VILLAGE = '0b6f4a5e-0000-4000-8000-000000000010';

/** The field and message of a BAD_USER_INPUT refusal. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SourceException && error.code === 'BAD_USER_INPUT') {
      expect(error.message.startsWith(String(error.details?.field))).toBe(true);
      return error.message;
    }
    throw error;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('a source’s id, kind and platform', () => {
  it('the id is a path segment: lower-case letters, digits, _ and -', () => {
    expect(() => checkSourceId('kalmansky-vk_2')).not.toThrow();
    expect(refusal(() => checkSourceId('Kalmansky VK'))).toMatch(/^id must be 1–100 lower-case letters/);
    expect(refusal(() => checkSourceId('-vk'))).toMatch(/^id /);
    expect(refusal(() => checkSourceId('a'.repeat(101)))).toMatch(/^id /);
  });

  it('each platform kind carries its own platform; the generic webhook and imports carry any', () => {
    expect(() => checkKind('VK_CALLBACK', 'VK')).not.toThrow();
    expect(() => checkKind('META_WEBHOOK', 'INSTAGRAM')).not.toThrow();
    expect(() => checkKind('GENERIC_WEBHOOK', 'OK')).not.toThrow();
    expect(refusal(() => checkKind('VK_CALLBACK', 'TELEGRAM'))).toBe(
      'platform a VK_CALLBACK source carries VK, not TELEGRAM',
    );
    expect(refusal(() => checkKind('X_ACTIVITY', 'FACEBOOK'))).toMatch(/^platform a X_ACTIVITY source carries TWITTER/);
    expect(refusal(() => checkKind('PIGEON', 'VK'))).toMatch(/^kind must be one of GENERIC_WEBHOOK, /);
    expect(refusal(() => checkKind('VK_CALLBACK', 'MYSPACE'))).toMatch(/^platform must be one of VK, /);
    expect(refusal(() => checkKind('MANUAL', 'OTHER'))).toMatch(/^kind MANUAL sources are made by registerMessage/);
  });

  it('a name is trimmed and required', () => {
    expect(checkName('  Сообщество ВК  ')).toBe('Сообщество ВК');
    expect(refusal(() => checkName('   '))).toMatch(/^name is required/);
  });
});

describe('settings: what each kind needs, and no secrets', () => {
  it('VK needs groupId and confirmation', () => {
    expect(checkSettings('VK_CALLBACK', { groupId: 1, confirmation: 'abc123' })).toEqual({
      groupId: 1,
      confirmation: 'abc123',
    });
    expect(refusal(() => checkSettings('VK_CALLBACK', { confirmation: 'abc' }))).toMatch(
      /^settings\.groupId is required for VK_CALLBACK/,
    );
    expect(refusal(() => checkSettings('VK_CALLBACK', { groupId: '1', confirmation: 'abc' }))).toMatch(
      /^settings\.groupId /,
    );
    expect(refusal(() => checkSettings('VK_CALLBACK', { groupId: 1 }))).toMatch(
      /^settings\.confirmation is required for VK_CALLBACK/,
    );
  });

  it('a FEED needs its http(s) url', () => {
    expect(() => checkSettings('FEED', { url: 'https://kalmanka.example/rss' })).not.toThrow();
    expect(refusal(() => checkSettings('FEED', {}))).toMatch(/^settings\.url is required for FEED/);
    expect(refusal(() => checkSettings('FEED', { url: 'ftp://x.example/feed' }))).toBe(
      'settings.url must be an http(s) address',
    );
  });

  it('publicUrl, if any, is an http(s) address (it ends up in the official site’s HTML)', () => {
    expect(refusal(() => checkSettings('TELEGRAM_BOT', { publicUrl: 'javascript:alert(1)' }))).toBe(
      'settings.publicUrl must be an http(s) address',
    );
  });

  it('a token among the settings is refused and sent to setSourceCredentials', () => {
    expect(refusal(() => checkSettings('TELEGRAM_BOT', { botToken: '123:abc' }))).toBe(
      'settings.botToken looks like a secret: set it with setSourceCredentials, which stores it encrypted',
    );
    expect(refusal(() => checkSettings('GENERIC_WEBHOOK', { apiKey: 'x' }))).toMatch(
      /^settings\.apiKey looks like a secret/,
    );
  });

  it('settings are a JSON object', () => {
    expect(refusal(() => checkSettings('GENERIC_WEBHOOK', [1, 2]))).toBe('settings must be a JSON object');
  });
});

describe('webhook secrets: given ones follow the platform’s rule, or one is made', () => {
  it('made: 40 letters and digits, different each time, within every platform’s rule', () => {
    const made = secretFor('VK_CALLBACK', undefined) as string;
    expect(made).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(secretFor('VK_CALLBACK', null)).not.toBe(made);
    expect(generateSecret()).toMatch(/^[A-Za-z0-9]{40}$/);
  });

  it('VK’s secret key is letters and digits, at most 50', () => {
    expect(secretFor('VK_CALLBACK', 'abcdefghij0123456789')).toBe('abcdefghij0123456789');
    expect(refusal(() => secretFor('VK_CALLBACK', 'abc-defghij0123456789'))).toMatch(/^secret must be 16–50 letters/);
    expect(refusal(() => secretFor('VK_CALLBACK', 'a'.repeat(51)))).toMatch(/^secret /);
  });

  it('a secret shorter than 16 is refused everywhere', () => {
    expect(refusal(() => secretFor('GENERIC_WEBHOOK', 'short'))).toBe(
      'secret must be 16–256 printable ASCII characters without spaces',
    );
  });

  it('Meta’s app secret and X’s consumer secret are issued by the platform: required', () => {
    expect(refusal(() => secretFor('META_WEBHOOK', undefined))).toMatch(/^secret is required for META_WEBHOOK/);
    expect(secretFor('X_ACTIVITY', 'x-consumer-secret-0123456789')).toBe('x-consumer-secret-0123456789');
  });

  it('kinds no webhook reaches have none', () => {
    expect(secretFor('FEED', undefined)).toBeNull();
    expect(refusal(() => secretFor('IMPORT', 'some-secret-0123456789'))).toBe(
      'secret a IMPORT source takes no webhook, so it has no secret',
    );
  });

  it('the overlap is 24 hours unless given, 0 to 168', () => {
    expect(checkOverlapHours(undefined)).toBe(24);
    expect(checkOverlapHours(0)).toBe(0);
    expect(checkOverlapHours(168)).toBe(168);
    expect(refusal(() => checkOverlapHours(169))).toBe('overlapHours must be a whole number of hours from 0 to 168');
    expect(refusal(() => checkOverlapHours(1.5))).toMatch(/^overlapHours /);
  });
});

describe('credentials: set and removed by name', () => {
  it('sets the given, removes those given null or empty, keeps the rest', () => {
    expect(
      mergeCredentials({ accessToken: 'a', verifyToken: 'v', old: 'o' }, [
        { name: 'accessToken', value: 'new' },
        { name: 'old', value: null },
        { name: 'verifyToken', value: '' },
        { name: 'absent', value: null },
      ]),
    ).toEqual({ credentials: { accessToken: 'new' }, set: ['accessToken'], removed: ['old', 'verifyToken'] });
  });

  it('a bad or repeated name is refused without showing a value', () => {
    const message = refusal(() => mergeCredentials({}, [{ name: 'bad name', value: 'sekrit-value' }]));
    expect(message).toBe('credentials.name "bad name" is not a name (letters, digits, _)');
    expect(message).not.toContain('sekrit');
    expect(
      refusal(() =>
        mergeCredentials({}, [
          { name: 'a', value: '1' },
          { name: 'a', value: '2' },
        ]),
      ),
    ).toBe('credentials.name "a" is given twice');
  });
});

describe('the webhook URL of each kind', () => {
  it('is /webhooks/{platform path}/{id}, under INTAKE_PUBLIC_URL when set', () => {
    expect(webhookUrl('https://intake.kalmansky.example', 'GENERIC_WEBHOOK', 'mon')).toBe(
      'https://intake.kalmansky.example/webhooks/generic/mon',
    );
    const paths = (['VK_CALLBACK', 'TELEGRAM_BOT', 'MAX_BOT', 'OK_BOT', 'META_WEBHOOK', 'X_ACTIVITY'] as const).map(
      (kind) => webhookUrl(null, kind, 's'),
    );
    expect(paths).toEqual([
      '/webhooks/vk/s',
      '/webhooks/telegram/s',
      '/webhooks/max/s',
      '/webhooks/ok/s',
      '/webhooks/meta/s',
      '/webhooks/x/s',
    ]);
    expect(webhookUrl(null, 'FEED', 's')).toBeNull();
    expect(webhookUrl(null, 'MANUAL', 's')).toBeNull();
  });
});

describe('who manages an organisation’s sources: OFFICIAL or COORDINATOR there or above', () => {
  const viewer = (roles: Viewer['roles'], visible: string[]): Viewer => ({
    userId: 'u',
    login: 'u',
    displayName: 'U',
    roles,
    visibleOrganizationIds: visible,
  });

  it('a district official manages the district and what is below it', () => {
    const official = viewer([{ organizationId: DISTRICT, role: 'OFFICIAL' }], [DISTRICT, HOUSING, VILLAGE]);
    expect(sourceAccess(official, DISTRICT)).toBe('MANAGE');
    expect(sourceAccess(official, VILLAGE)).toBe('MANAGE');
  });

  it('a village official manages the village and does not see the district', () => {
    const official = viewer([{ organizationId: VILLAGE, role: 'OFFICIAL' }], [VILLAGE]);
    expect(sourceAccess(official, VILLAGE)).toBe('MANAGE');
    expect(sourceAccess(official, DISTRICT)).toBe('NOT_VISIBLE');
  });

  it('an executor or a head sees but does not manage', () => {
    expect(sourceAccess(viewer([{ organizationId: DISTRICT, role: 'EXECUTOR' }], [DISTRICT]), DISTRICT)).toBe(
      'FORBIDDEN',
    );
    expect(sourceAccess(viewer([{ organizationId: DISTRICT, role: 'HEAD' }], [DISTRICT, VILLAGE]), VILLAGE)).toBe(
      'FORBIDDEN',
    );
  });

  it('an official of a subdivision who is an executor of the district: the subdivision yes, the village no', () => {
    // The village is visible through the executor role only; intake cannot tell, and refuses.
    const mixed = viewer(
      [
        { organizationId: HOUSING, role: 'OFFICIAL' },
        { organizationId: DISTRICT, role: 'EXECUTOR' },
      ],
      [DISTRICT, HOUSING, VILLAGE],
    );
    expect(sourceAccess(mixed, HOUSING)).toBe('MANAGE');
    expect(sourceAccess(mixed, VILLAGE)).toBe('FORBIDDEN');
  });
});
