import type { Logger } from 'pino';
import { callContext, orgsScope, OrgScope } from '@otklik/observability';
import type { UnitOfWork } from '@otklik/persistence';
import type { MessageService } from '../messages/message.service';
import type { Source } from '../sources/source.secrets';
import type { SourceService } from '../sources/source.service';
import type { DeliveryRepository } from './delivery.repository';
import { PlatformWebhookService, storable } from './platform-webhook.service';
import { MessageStoreUnavailable, WebhookException } from './webhook.exception';

// The core of platform webhooks with VK's connector (libs/channels) in front of it; the
// database is mocked here (the medium test runs it on PostgreSQL).

const ORG = '0b6f4a5e-0000-4000-8000-000000000001';
const source = (overrides: Partial<Source> = {}): Source => ({
  id: 'demo-vk',
  organizationId: ORG,
  platform: 'VK',
  kind: 'VK_CALLBACK',
  name: 'demo',
  secret: 'demo-vk-secret',
  previousSecret: null,
  previousSecretUntil: null,
  credentials: {},
  requireTimestamp: false,
  settings: { groupId: 1, confirmation: 'demo-confirm' },
  enabled: true,
  createdAt: new Date(),
  ...overrides,
});
const comment = (type: string, id: number, extra: Record<string, unknown> = {}) => ({
  type,
  group_id: 1,
  event_id: `event-${type}-${id}`,
  v: '5.199',
  secret: 'demo-vk-secret',
  object: {
    id,
    from_id: 42,
    post_id: 5,
    owner_id: -1,
    post_owner_id: -1,
    date: 1795742100,
    text: 'Нет света',
    ...extra,
  },
});
const request = (body: unknown, method: 'GET' | 'POST' = 'POST') => ({
  method,
  headers: {},
  query: {},
  body: new TextEncoder().encode(JSON.stringify(body)),
});
const unreachable = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

function setup(found: Source | null = source()) {
  let scope: OrgScope | undefined;
  const sources = { findForWebhook: jest.fn(() => Promise.resolve(found)) };
  const messages = {
    accept: jest.fn(() => Promise.resolve({ messageId: 'm1', duplicate: false })),
    edit: jest.fn(() => Promise.resolve({ messageId: 'm1', outcome: 'EDITED' })),
    markDeleted: jest.fn(() => Promise.resolve<{ messageId: string; marked: boolean } | null>(null)),
  };
  const deliveries = {
    insertIfNew: jest.fn(() => Promise.resolve(true)),
    recordOutcome: jest.fn(() => Promise.resolve()),
  };
  const uow = {
    run: jest.fn((work: () => Promise<unknown>) => {
      scope = callContext.current()?.orgScope;
      return work();
    }),
  };
  const logger = { info: jest.fn(), warn: jest.fn() };
  const service = new PlatformWebhookService(
    sources as unknown as SourceService,
    messages as unknown as MessageService,
    deliveries as unknown as DeliveryRepository,
    uow as unknown as UnitOfWork,
    logger as unknown as Logger,
  );
  const receive = (body: unknown, platform = 'vk', method: 'GET' | 'POST' = 'POST') =>
    service.receive({ platform, sourceId: 'demo-vk', request: request(body, method) });
  return { receive, sources, messages, deliveries, logger, scopeOfStore: () => scope };
}

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WebhookException)) throw new Error(`expected a WebhookException, got ${String(error)}`);
  return { code: error.code, message: error.message };
};

describe('platform webhooks: which connector and which source (404 before anything is read)', () => {
  it('an unknown platform is 404 naming those there are; the source is not looked up', async () => {
    const { receive, sources } = setup();
    await expect(refusal(receive({}, 'myspace'))).resolves.toEqual({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/^no platform webhook "myspace" \(there are: generic, .*\bvk\b/),
    });
    expect(sources.findForWebhook).not.toHaveBeenCalled();
  });

  it('a method the platform does not use is 404, saying which it takes', async () => {
    await expect(refusal(setup().receive({}, 'vk', 'GET'))).resolves.toEqual({
      code: 'NOT_FOUND',
      message: 'the vk webhook takes POST, not GET',
    });
  });

  it('an unknown, disabled or other-kind source is 404', async () => {
    await expect(refusal(setup(null).receive({}))).resolves.toMatchObject({ message: 'no source "demo-vk"' });
    await expect(refusal(setup(source({ enabled: false })).receive({}))).resolves.toMatchObject({
      message: 'source "demo-vk" is disabled',
    });
    await expect(refusal(setup(source({ kind: 'TELEGRAM_BOT' })).receive({}))).resolves.toMatchObject({
      message: 'source "demo-vk" is a TELEGRAM_BOT source, not a VK_CALLBACK one',
    });
  });
});

describe('platform webhooks: the connector’s verdict', () => {
  it('ANSWER is sent as it is, and nothing is stored', async () => {
    const { receive, deliveries } = setup();
    await expect(receive({ type: 'confirmation', group_id: 1 })).resolves.toEqual({
      status: 200,
      contentType: 'text/plain',
      body: 'demo-confirm',
    });
    expect(deliveries.insertIfNew).not.toHaveBeenCalled();
  });

  it('REFUSE becomes the status it names, with its reason, logged once', async () => {
    const { receive, deliveries, logger } = setup();
    await expect(refusal(receive({ ...comment('wall_reply_new', 1), secret: 'forged' }))).resolves.toEqual({
      code: 'UNAUTHENTICATED',
      message: 'secret does not match the secret key of this source',
    });
    expect(deliveries.insertIfNew).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      expect.objectContaining({ sourceId: 'demo-vk', platform: 'vk', code: 'UNAUTHENTICATED' }),
      'platform webhook refused',
    );
  });

  it('a DELIVERY is stored in the source organisation’s scope, then answered, logged with its counts', async () => {
    const { receive, messages, deliveries, logger, scopeOfStore } = setup();
    await expect(
      callContext.run({ correlationId: 'c1', orgScope: orgsScope([]) }, () => receive(comment('wall_reply_new', 9))),
    ).resolves.toEqual({ status: 200, contentType: 'text/plain', body: 'ok' });
    expect(scopeOfStore()).toEqual(orgsScope([ORG]));
    expect(deliveries.insertIfNew).toHaveBeenCalledWith({
      sourceId: 'demo-vk',
      deliveryId: 'event-wall_reply_new-9',
      organizationId: ORG,
      eventType: 'wall_reply_new',
      correlationId: 'c1',
    });
    expect(messages.accept).toHaveBeenCalledWith(
      expect.objectContaining({
        organizationId: ORG,
        sourceId: 'demo-vk',
        externalId: 'wall-1_5_r9',
        postedAt: new Date('2026-11-27T01:15:00Z'),
        raw: comment('wall_reply_new', 9).object,
      }),
    );
    const outcome = { accepted: 1, duplicates: 0, edited: 0, unchanged: 0, deleted: 0, unknownDeleted: [] };
    expect(deliveries.recordOutcome).toHaveBeenCalledWith('demo-vk', 'event-wall_reply_new-9', outcome);
    expect(logger.info).toHaveBeenCalledWith(
      {
        sourceId: 'demo-vk',
        platform: 'vk',
        eventType: 'wall_reply_new',
        deliveryId: 'event-wall_reply_new-9',
        repeat: false,
        ...outcome,
      },
      'platform webhook delivery stored',
    );
  });

  it('a repeated delivery stores nothing and gets the same reply', async () => {
    const { receive, messages, deliveries } = setup();
    deliveries.insertIfNew.mockResolvedValue(false);
    await expect(receive(comment('wall_reply_new', 9))).resolves.toMatchObject({ body: 'ok' });
    expect(messages.accept).not.toHaveBeenCalled();
    expect(deliveries.recordOutcome).not.toHaveBeenCalled();
  });

  it('an edit goes to MessageService.edit; a deletion of a message never seen is counted in the delivery', async () => {
    const { receive, messages, deliveries } = setup();
    await receive(comment('wall_reply_edit', 9, { text: 'Нет света второй день' }));
    expect(messages.edit).toHaveBeenCalledWith(
      expect.objectContaining({ externalId: 'wall-1_5_r9', text: 'Нет света второй день' }),
      expect.any(Date),
    );
    await receive({ ...comment('wall_reply_delete', 9), object: { owner_id: -1, id: 9, deleter_id: 42, post_id: 5 } });
    expect(messages.markDeleted).toHaveBeenCalledWith('demo-vk', 'wall-1_5_r9', expect.any(Date), 'id42');
    expect(deliveries.recordOutcome).toHaveBeenLastCalledWith(
      'demo-vk',
      'event-wall_reply_delete-9',
      expect.objectContaining({ deleted: 0, unknownDeleted: ['wall-1_5_r9'] }),
    );
  });
});

describe('platform webhooks: the database out of reach is 503, so the platform retries', () => {
  it('while looking up the source', async () => {
    const { receive, sources } = setup();
    sources.findForWebhook.mockRejectedValue(unreachable());
    await expect(receive(comment('wall_reply_new', 9))).rejects.toBeInstanceOf(MessageStoreUnavailable);
  });

  it('while storing', async () => {
    const { receive, messages, logger } = setup();
    messages.accept.mockRejectedValue(unreachable());
    await expect(receive(comment('wall_reply_new', 9))).rejects.toBeInstanceOf(MessageStoreUnavailable);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ sourceId: 'demo-vk' }),
      'platform webhook deferred: database unreachable',
    );
  });

  it('a bug is not disguised as unavailability', async () => {
    const { receive, messages } = setup();
    messages.accept.mockRejectedValue(new TypeError('x is undefined'));
    await expect(receive(comment('wall_reply_new', 9))).rejects.toBeInstanceOf(TypeError);
  });
});

describe('what PostgreSQL cannot store is replaced, not refused (the platform would retry forever)', () => {
  it('U+0000 and unpaired surrogates become U+FFFD, anywhere; pairs and dates are kept', () => {
    const when = new Date();
    expect(storable({ text: 'a\u0000b 😀', raw: { list: ['x\ud800'] }, when })).toEqual({
      text: 'a\ufffdb 😀',
      raw: { list: ['x\ufffd'] },
      when,
    });
  });
});
