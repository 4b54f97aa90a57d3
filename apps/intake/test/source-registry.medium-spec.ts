import { randomUUID } from 'node:crypto';
import type { Viewer } from '@otklik/auth';
import { demoOrganization } from '@otklik/demo';
import { migrateServiceDatabase } from '@otklik/persistence';
import { DEVELOPMENT_KEYRING, SecretBox } from '@otklik/secrets';
import { createTestDatabase } from '@otklik/testing';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../src/migrations/migrations';
import { SourceRegistry1796700000000 } from '../src/migrations/1796700000000-source-registry';
import { credentialsContext, secretContext } from '../src/sources/source.secrets';
import {
  EVERY_ORGANIZATION,
  IntakeUnderTest,
  outcome,
  ownerQuery,
  postGenericWebhook,
  staffViewer,
} from './intake.harness';

// Medium (STYLE.md §13): the registry of official accounts (REQUIREMENTS cl. 2–3) in the real
// intake app, on a fresh database, over HTTP: GraphQL as the gateway calls it, the generic
// webhook, the public list, and the rows as PostgreSQL holds them.

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;

const official = staffViewer('official', 'OFFICIAL', KALMANSKY, EVERY_ORGANIZATION);
const coordinator = staffViewer('coordinator', 'COORDINATOR', KALMANSKY, EVERY_ORGANIZATION);
const executor = staffViewer('executor', 'EXECUTOR', KALMANSKY, EVERY_ORGANIZATION);
const villageOfficial = staffViewer('buranovsky.official', 'OFFICIAL', BURANOVSKY);

const SOURCE_FIELDS = `id organization { id } platform kind name settings enabled requireTimestamp webhookUrl
  hasSecret hasCredentials secretRotatedAt previousSecretValidUntil`;
const CREATE = `mutation ($input: CreateSourceInput!) { createSource(input: $input) { newSecret source { ${SOURCE_FIELDS} } } }`;
const UPDATE = `mutation ($input: UpdateSourceInput!) { updateSource(input: $input) { ${SOURCE_FIELDS} } }`;
const ROTATE = `mutation ($input: RotateSourceSecretInput!) { rotateSourceSecret(input: $input) { newSecret source { ${SOURCE_FIELDS} } } }`;
const CREDENTIALS = `mutation ($input: SetSourceCredentialsInput!) { setSourceCredentials(input: $input) { ${SOURCE_FIELDS} } }`;
const ONE = `query ($id: ID!) { source(id: $id) { ${SOURCE_FIELDS} changes { actor action changes } } }`;
const LIST = `query ($org: ID) { sources(organizationId: $org) { id } }`;

interface SourceView {
  id: string;
  organization: { id: string };
  platform: string;
  kind: string;
  name: string;
  settings: Record<string, unknown>;
  enabled: boolean;
  webhookUrl: string | null;
  hasSecret: boolean;
  hasCredentials: string[];
  secretRotatedAt: string | null;
  previousSecretValidUntil: string | null;
  changes?: Array<{ actor: string; action: string; changes: Record<string, unknown> }>;
}
interface WithSecret {
  newSecret: string | null;
  source: SourceView;
}

describe('intake: the registry of official accounts (cl. 2–3), secrets encrypted at rest', () => {
  let intake: IntakeUnderTest;

  const graphql = <T = Record<string, unknown>>(viewer: Viewer, query: string, variables: Record<string, unknown>) =>
    intake.graphql<T>(query, variables, viewer);

  const create = async (viewer: Viewer, input: Record<string, unknown>): Promise<WithSecret> => {
    const answer = await graphql<{ createSource: WithSecret }>(viewer, CREATE, {
      input: { organizationId: KALMANSKY, ...input },
    });
    if (!answer.data) throw new Error(outcome(answer));
    return answer.data.createSource;
  };

  const webhook = async (sourceId: string, secret: string) => {
    const body = {
      externalId: `post-${randomUUID()}`,
      text: 'Когда починят фонари на улице Школьной?',
      postedAt: '2026-11-27T08:15:00+07:00',
    };
    return (await postGenericWebhook(intake, body, { source: sourceId, secret })).status;
  };

  /** Every stored form of the sources and their changes, as text, for grepping. */
  const storedText = async () =>
    (
      await intake.sql<{ text: string }>(
        `select row_to_json(s)::text as text from intake.sources s
         union all select row_to_json(c)::text from intake.source_changes c`,
      )
    )
      .map((r) => r.text)
      .join('\n');

  beforeAll(async () => {
    intake = await IntakeUnderTest.start('intake_sources');
  }, 60_000);

  afterAll(async () => {
    await intake?.stop();
  });

  it('createSource: a made secret returned once, working at once, and stored sealed — the row holds no plaintext', async () => {
    const { newSecret, source } = await create(official, {
      id: 'monitoring',
      platform: 'OTHER',
      kind: 'GENERIC_WEBHOOK',
      name: 'Система мониторинга',
    });
    expect(newSecret).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(source).toEqual({
      id: 'monitoring',
      organization: { id: KALMANSKY },
      platform: 'OTHER',
      kind: 'GENERIC_WEBHOOK',
      name: 'Система мониторинга',
      settings: {},
      enabled: true,
      requireTimestamp: false,
      webhookUrl: '/webhooks/generic/monitoring',
      hasSecret: true,
      hasCredentials: [],
      secretRotatedAt: null,
      previousSecretValidUntil: null,
    });
    expect(await webhook('monitoring', newSecret as string)).toBe(202);

    const [row] = await intake.sql<{ secret_ciphertext: string }>(
      "select secret_ciphertext from intake.sources where id = 'monitoring'",
    );
    expect(row.secret_ciphertext).toMatch(/^v1\.dev\./);
    const stored = await storedText();
    expect(stored).not.toContain(newSecret);
    // The demo's secrets and tokens were sealed as they were seeded.
    for (const plaintext of ['demo-secret', 'demo-vk-secret', 'demo-vk-token', 'demo-telegram-token']) {
      expect(stored).not.toContain(plaintext);
    }
  });

  it('a VK community with its access token: the token is sealed; GraphQL names it and never shows it', async () => {
    const { newSecret, source } = await create(coordinator, {
      id: 'kalmansky-vk',
      platform: 'VK',
      kind: 'VK_CALLBACK',
      name: 'Администрация <b>в ВК</b>',
      secret: 'VkSecretKey0123456789',
      settings: { groupId: 42, confirmation: 'a1b2c3', publicUrl: 'https://vk.com/club42' },
      credentials: [{ name: 'accessToken', value: 'vk1.a.community-token-value' }],
    });
    expect(newSecret).toBe('VkSecretKey0123456789');
    expect(source).toMatchObject({ webhookUrl: '/webhooks/vk/kalmansky-vk', hasCredentials: ['accessToken'] });
    const stored = await storedText();
    expect(stored).not.toContain('VkSecretKey0123456789');
    expect(stored).not.toContain('community-token-value');
  });

  it('invalid input is BAD_USER_INPUT naming the field', async () => {
    const attempt = async (input: Record<string, unknown>) =>
      outcome(await graphql(official, CREATE, { input: { organizationId: KALMANSKY, name: 'x', ...input } }));
    expect(await attempt({ platform: 'VK', kind: 'VK_CALLBACK', settings: { confirmation: 'c' } })).toBe(
      'BAD_USER_INPUT: settings.groupId is required for VK_CALLBACK: the community’s id, a positive number',
    );
    expect(await attempt({ platform: 'TELEGRAM', kind: 'VK_CALLBACK' })).toBe(
      'BAD_USER_INPUT: platform a VK_CALLBACK source carries VK, not TELEGRAM',
    );
    expect(await attempt({ id: 'Не так', platform: 'OTHER', kind: 'GENERIC_WEBHOOK' })).toMatch(
      /^BAD_USER_INPUT: id must be 1–100 lower-case letters/,
    );
    expect(await attempt({ platform: 'WEBSITE', kind: 'FEED' })).toMatch(/^BAD_USER_INPUT: settings\.url is required/);
    expect(await attempt({ platform: 'TELEGRAM', kind: 'TELEGRAM_BOT', settings: { botToken: '123:abc' } })).toMatch(
      /^BAD_USER_INPUT: settings\.botToken looks like a secret/,
    );
    expect(await attempt({ id: 'monitoring', platform: 'OTHER', kind: 'GENERIC_WEBHOOK' })).toBe(
      'CONFLICT: a source with id monitoring exists already; choose another id',
    );
  });

  it('roles: an EXECUTOR is FORBIDDEN; another organisation’s official gets NOT_FOUND and sees nothing', async () => {
    expect(outcome(await graphql(executor, LIST, {}))).toBe('FORBIDDEN: needs one of the roles OFFICIAL, COORDINATOR');
    expect(outcome(await graphql(executor, UPDATE, { input: { id: 'monitoring', enabled: false } }))).toMatch(
      /^FORBIDDEN: /,
    );
    expect(outcome(await graphql(villageOfficial, UPDATE, { input: { id: 'monitoring', name: 'mine' } }))).toBe(
      'NOT_FOUND: source monitoring does not exist or is not yours to see',
    );
    expect(outcome(await graphql(villageOfficial, ROTATE, { input: { sourceId: 'monitoring' } }))).toMatch(
      /^NOT_FOUND: /,
    );
    expect(
      outcome(
        await graphql(villageOfficial, CREATE, {
          input: { organizationId: KALMANSKY, platform: 'OTHER', kind: 'GENERIC_WEBHOOK', name: 'x' },
        }),
      ),
    ).toBe(`NOT_FOUND: organisation ${KALMANSKY} is not among those you may see`);
    expect((await graphql(villageOfficial, ONE, { id: 'monitoring' })).data).toEqual({ source: null });
    expect((await graphql(villageOfficial, LIST, {})).data).toEqual({ sources: [] });
    expect(outcome(await graphql(villageOfficial, LIST, { org: KALMANSKY }))).toMatch(/^NOT_FOUND: /);

    // The district's official manages the sel'sovet below it.
    const below = await create(official, {
      organizationId: BURANOVSKY,
      id: 'buranovsky-hook',
      platform: 'OTHER',
      kind: 'GENERIC_WEBHOOK',
      name: 'Сельсовет',
    });
    expect(below.source.organization.id).toBe(BURANOVSKY);
    const theirs = await graphql<{ sources: Array<{ id: string }> }>(villageOfficial, LIST, {});
    expect(theirs.data?.sources.map((s) => s.id)).toEqual(['buranovsky-hook']);
  });

  it('updateSource: a disabled source takes no webhook; each change is recorded with who made it', async () => {
    const secret = (await create(official, { id: 'switchable', platform: 'OTHER', kind: 'GENERIC_WEBHOOK', name: 'a' }))
      .newSecret as string;
    expect(await webhook('switchable', secret)).toBe(202);
    const off = await graphql<{ updateSource: SourceView }>(coordinator, UPDATE, {
      input: { id: 'switchable', enabled: false, name: 'b' },
    });
    expect(off.data?.updateSource).toMatchObject({ enabled: false, name: 'b' });
    expect(await webhook('switchable', secret)).toBe(404);
    await graphql(coordinator, UPDATE, { input: { id: 'switchable', enabled: true } });
    expect(await webhook('switchable', secret)).toBe(202);

    const history = await graphql<{ source: SourceView }>(official, ONE, { id: 'switchable' });
    expect(history.data?.source.changes).toEqual([
      expect.objectContaining({ actor: 'official', action: 'CREATED' }),
      {
        actor: 'coordinator',
        action: 'UPDATED',
        changes: { enabled: { from: true, to: false }, name: { from: 'a', to: 'b' } },
      },
      { actor: 'coordinator', action: 'UPDATED', changes: { enabled: { from: false, to: true } } },
    ]);
  });

  it('rotateSourceSecret: the new secret works at once, the old one during the overlap, and not after it', async () => {
    const first = (await create(official, { id: 'rotating', platform: 'OTHER', kind: 'GENERIC_WEBHOOK', name: 'r' }))
      .newSecret as string;
    expect(await webhook('rotating', first)).toBe(202);

    const rotated = await graphql<{ rotateSourceSecret: WithSecret }>(official, ROTATE, {
      input: { sourceId: 'rotating' },
    });
    const second = rotated.data?.rotateSourceSecret.newSecret as string;
    expect(second).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(second).not.toBe(first);
    const until = Date.parse(rotated.data?.rotateSourceSecret.source.previousSecretValidUntil as string);
    expect(until - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(until - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
    expect(await webhook('rotating', second)).toBe(202);
    expect(await webhook('rotating', first)).toBe(202);

    // Rotated again (which this replica's cache forgets at once), and the overlap made to end.
    const third = (
      await graphql<{ rotateSourceSecret: WithSecret }>(official, ROTATE, {
        input: { sourceId: 'rotating', secret: 'a-secret-given-by-hand-0123', overlapHours: 2 },
      })
    ).data?.rotateSourceSecret.newSecret;
    expect(third).toBe('a-secret-given-by-hand-0123');
    await intake.sql(
      "update intake.sources set previous_secret_until = now() - interval '1 minute' where id = 'rotating'",
    );
    expect(await webhook('rotating', second)).toBe(401);
    expect(await webhook('rotating', first)).toBe(401);
    expect(await webhook('rotating', 'a-secret-given-by-hand-0123')).toBe(202);
    const shown = await graphql<{ source: SourceView }>(official, ONE, { id: 'rotating' });
    expect(shown.data?.source.previousSecretValidUntil).toBeNull();
    expect(shown.data?.source.secretRotatedAt).toEqual(expect.any(String));

    // overlapHours 0 (a leaked secret): the old one stops at once.
    const fourth = (
      await graphql<{ rotateSourceSecret: WithSecret }>(official, ROTATE, {
        input: { sourceId: 'rotating', overlapHours: 0 },
      })
    ).data?.rotateSourceSecret;
    expect(fourth?.source.previousSecretValidUntil).toBeNull();
    expect(await webhook('rotating', 'a-secret-given-by-hand-0123')).toBe(401);
    expect(await webhook('rotating', fourth?.newSecret as string)).toBe(202);

    expect(outcome(await graphql(official, ROTATE, { input: { sourceId: 'rotating', overlapHours: 169 } }))).toBe(
      'BAD_USER_INPUT: overlapHours must be a whole number of hours from 0 to 168',
    );
    const stored = await storedText();
    for (const secret of [first, second, 'a-secret-given-by-hand-0123', fourth?.newSecret as string]) {
      expect(stored).not.toContain(secret);
    }
  });

  it('setSourceCredentials: set and removed by name, the others kept, values never shown nor stored in plaintext', async () => {
    const set = await graphql<{ setSourceCredentials: SourceView }>(official, CREDENTIALS, {
      input: {
        sourceId: 'kalmansky-vk',
        credentials: [{ name: 'serviceToken', value: 'second-token-value' }],
      },
    });
    expect(set.data?.setSourceCredentials.hasCredentials).toEqual(['accessToken', 'serviceToken']);
    const removed = await graphql<{ setSourceCredentials: SourceView }>(official, CREDENTIALS, {
      input: { sourceId: 'kalmansky-vk', credentials: [{ name: 'accessToken', value: null }] },
    });
    expect(removed.data?.setSourceCredentials.hasCredentials).toEqual(['serviceToken']);
    const history = await graphql<{ source: SourceView }>(official, ONE, { id: 'kalmansky-vk' });
    expect(history.data?.source.changes?.slice(-2)).toEqual([
      { actor: 'official', action: 'CREDENTIALS_SET', changes: { set: ['serviceToken'], removed: [] } },
      { actor: 'official', action: 'CREDENTIALS_SET', changes: { set: [], removed: ['accessToken'] } },
    ]);
    expect(await storedText()).not.toContain('second-token-value');
  });

  describe('the public list for the official site (cl. 3)', () => {
    it('JSON: enabled accounts with a public page, not the generic webhook; cacheable, open to any site', async () => {
      await create(official, {
        id: 'hidden-hook',
        platform: 'OTHER',
        kind: 'GENERIC_WEBHOOK',
        name: 'Не для сайта',
        settings: { publicUrl: 'https://monitoring.example' },
      });
      await create(official, {
        id: 'retired-ok',
        platform: 'OK',
        kind: 'OK_BOT',
        name: 'Старая группа',
        enabled: false,
        settings: { publicUrl: 'https://ok.ru/group/1' },
      });
      const response = await fetch(`${intake.url}/public/sources?organization=${KALMANSKY}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(await response.json()).toEqual({
        organizationId: KALMANSKY,
        sources: [
          { name: 'Телеграм-бот администрации (демо)', platform: 'TELEGRAM', url: 'https://t.me/otklik_demo_bot' },
          { name: 'Администрация <b>в ВК</b>', platform: 'VK', url: 'https://vk.com/club42' },
          { name: 'Сообщество администрации ВКонтакте (демо)', platform: 'VK', url: 'https://vk.com/club1' },
        ],
      });
    });

    it('HTML: the same list, escaped, without scripts, cacheable', async () => {
      const response = await fetch(`${intake.url}/public/sources.html?organization=${KALMANSKY}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      const html = await response.text();
      expect(html).toContain('<a href="https://vk.com/club42" rel="noopener noreferrer" target="_blank">');
      expect(html).toContain('Администрация &lt;b&gt;в ВК&lt;/b&gt;');
      expect(html).not.toMatch(/<script|<b>/);
      expect(html).not.toContain('monitoring.example');
    });

    it('another organisation’s list holds only its own; a missing or malformed organisation is 400', async () => {
      await create(official, {
        organizationId: BURANOVSKY,
        id: 'buranovsky-tg',
        platform: 'TELEGRAM',
        kind: 'TELEGRAM_BOT',
        name: 'Бот сельсовета',
        settings: { publicUrl: 'https://t.me/buranovsky_bot' },
      });
      const theirs = await fetch(`${intake.url}/public/sources?organization=${BURANOVSKY}`);
      expect(await theirs.json()).toEqual({
        organizationId: BURANOVSKY,
        sources: [{ name: 'Бот сельсовета', platform: 'TELEGRAM', url: 'https://t.me/buranovsky_bot' }],
      });
      expect((await fetch(`${intake.url}/public/sources`)).status).toBe(400);
      const malformed = await fetch(`${intake.url}/public/sources.html?organization=kalmansky'--`);
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toEqual({ error: 'organization must be an organisation id (a UUID)' });
    });
  });
});

describe('migration 1796700000000: the plaintext secrets sources had are sealed, and the plaintext dropped', () => {
  const upTo = MIGRATIONS.slice(0, MIGRATIONS.indexOf(SourceRegistry1796700000000));
  const box = new SecretBox(DEVELOPMENT_KEYRING);

  it('up seals the secret and moves tokens out of the settings; down puts both back', async () => {
    const db = await createTestDatabase('intake_sources_migration');
    try {
      await migrateServiceDatabase({ schema: 'intake', databaseUrl: db.url, entities: [], migrations: upTo });
      await ownerQuery(
        db.url,
        `insert into intake.sources (id, organization_id, platform, kind, name, secret, settings)
         values ('old-vk', $1, 'VK', 'VK_CALLBACK', 'vk', 'old-vk-secret', $2)`,
        [KALMANSKY, { groupId: 7, confirmation: 'conf', accessToken: 'old-vk-token' }],
      );
      await migrateServiceDatabase({
        schema: 'intake',
        databaseUrl: db.url,
        entities: [],
        migrations: [...upTo, SourceRegistry1796700000000],
      });
      const [row] = await ownerQuery<Record<string, unknown>>(
        db.url,
        "select * from intake.sources where id = 'old-vk'",
      );
      expect(row).not.toHaveProperty('secret');
      expect(row.settings).toEqual({ groupId: 7, confirmation: 'conf' });
      expect(row.credential_names).toEqual(['accessToken']);
      expect(JSON.stringify(row)).not.toMatch(/old-vk-secret|old-vk-token/);
      expect(box.open(row.secret_ciphertext as string, secretContext('old-vk'))).toBe('old-vk-secret');
      expect(JSON.parse(box.open(row.credentials_ciphertext as string, credentialsContext('old-vk')))).toEqual({
        accessToken: 'old-vk-token',
      });

      const owner = new DataSource({
        type: 'postgres',
        url: db.url,
        schema: 'intake',
        migrations: [...upTo, SourceRegistry1796700000000],
        migrationsTableName: 'migrations',
        migrationsTransactionMode: 'each',
      });
      await owner.initialize();
      try {
        await owner.undoLastMigration({ transaction: 'each' });
      } finally {
        await owner.destroy();
      }
      const [back] = await ownerQuery<Record<string, unknown>>(
        db.url,
        "select secret, settings from intake.sources where id = 'old-vk'",
      );
      expect(back).toEqual({
        secret: 'old-vk-secret',
        settings: { groupId: 7, confirmation: 'conf', accessToken: 'old-vk-token' },
      });
    } finally {
      await db.drop();
    }
  }, 60_000);
});
