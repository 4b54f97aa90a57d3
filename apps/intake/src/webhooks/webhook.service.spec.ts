import type { Logger } from 'pino';
import { callContext, orgsScope, OrgScope } from '@otklik/observability';
import type { MessageService } from '../messages/message.service';
import type { Source } from '../sources/source.secrets';
import type { SourceService } from '../sources/source.service';
import { signBody } from './signature';
import { MessageStoreUnavailable, WebhookException } from './webhook.exception';
import { WebhookService } from './webhook.service';

const ORG = '0b6f4a5e-0000-4000-8000-000000000001';
const source = (overrides: Partial<Source> = {}): Source => ({
  id: 'demo-webhook',
  organizationId: ORG,
  platform: 'OTHER',
  kind: 'GENERIC_WEBHOOK',
  name: 'demo',
  secret: 'demo-secret',
  previousSecret: null,
  previousSecretUntil: null,
  credentials: {},
  requireTimestamp: false,
  settings: {},
  enabled: true,
  createdAt: new Date(),
  ...overrides,
});
const bytes = (text: string) => new TextEncoder().encode(text);
const VALID = JSON.stringify({ externalId: 'post-1', text: 'Нет воды', postedAt: '2026-11-27T08:15:00+07:00' });
const signed = (body: string, secret = 'demo-secret') => ({
  sourceId: 'demo-webhook',
  body: bytes(body),
  signature: signBody(secret, body),
});
const unreachable = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

function setup(found: Source | null = source()) {
  const sources = { findForWebhook: jest.fn(() => Promise.resolve(found)) };
  let scope: OrgScope | undefined;
  const messages = {
    accept: jest.fn(() => {
      scope = callContext.current()?.orgScope;
      return Promise.resolve({ messageId: 'm1', duplicate: false });
    }),
  };
  const logger = { info: jest.fn(), warn: jest.fn() };
  const service = new WebhookService(
    sources as unknown as SourceService,
    messages as unknown as MessageService,
    logger as unknown as Logger,
  );
  return { service, sources, messages, logger, scopeOfAccept: () => scope };
}

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WebhookException)) throw new Error(`expected a WebhookException, got ${String(error)}`);
  return { code: error.code, message: error.message, problems: error.details?.problems };
};

describe('generic webhook: the checks run in the contract’s order', () => {
  it('an unknown source is 404 before anything else is looked at', async () => {
    const { service, messages } = setup(null);
    await expect(refusal(service.acceptGeneric({ sourceId: 'nope', body: bytes('garbage') }))).resolves.toMatchObject({
      code: 'NOT_FOUND',
      message: 'no source "nope"',
    });
    expect(messages.accept).not.toHaveBeenCalled();
  });

  it('a disabled source, or one of another kind, is 404 as well', async () => {
    await expect(
      refusal(setup(source({ enabled: false })).service.acceptGeneric(signed(VALID))),
    ).resolves.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      refusal(setup(source({ kind: 'VK_CALLBACK' })).service.acceptGeneric(signed(VALID))),
    ).resolves.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/VK_CALLBACK source, not a generic webhook/),
    });
  });

  it('the signature is checked before the body is parsed: garbage with a bad signature is 401, not 400', async () => {
    const { service } = setup();
    await expect(refusal(service.acceptGeneric(signed('{not json', 'wrong-secret')))).resolves.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('a signed body that is not JSON is 400 "malformed JSON: …"', async () => {
    const { service } = setup();
    await expect(refusal(service.acceptGeneric(signed('{not json')))).resolves.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/^malformed JSON: /),
      problems: [expect.stringMatching(/^body: /)],
    });
    await expect(refusal(service.acceptGeneric(signed('')))).resolves.toMatchObject({
      message: 'malformed JSON: the body is empty',
    });
  });

  it('bytes that are not UTF-8 are malformed JSON', async () => {
    const { service } = setup();
    const body = new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]);
    await expect(
      refusal(service.acceptGeneric({ sourceId: 'demo-webhook', body, signature: signBody('demo-secret', body) })),
    ).resolves.toMatchObject({
      message: 'malformed JSON: the body is not UTF-8',
    });
  });

  it('a signed JSON body that breaks the contract is 400 "invalid message" with every problem', async () => {
    const { service } = setup();
    await expect(refusal(service.acceptGeneric(signed('{}')))).resolves.toEqual({
      code: 'BAD_USER_INPUT',
      message: 'invalid message',
      problems: ['externalId: is required', 'text: is required', 'postedAt: is required'],
    });
  });

  it('a valid message is stored in its source organisation’s scope, with the source’s platform by default', async () => {
    const { service, messages, logger, scopeOfAccept } = setup();
    await expect(
      callContext.run({ correlationId: 'c1', orgScope: orgsScope([]) }, () => service.acceptGeneric(signed(VALID))),
    ).resolves.toEqual({
      messageId: 'm1',
      duplicate: false,
    });
    expect(messages.accept).toHaveBeenCalledWith(
      expect.objectContaining({
        organizationId: ORG,
        sourceId: 'demo-webhook',
        platform: 'OTHER',
        postedAt: new Date('2026-11-27T01:15:00Z'),
        attachments: [],
        raw: JSON.parse(VALID),
      }),
    );
    expect(scopeOfAccept()).toEqual(orgsScope([ORG]));
    expect(logger.info).toHaveBeenCalledWith(
      { messageId: 'm1', duplicate: false, sourceId: 'demo-webhook' },
      'webhook message accepted',
    );
    expect(logger.info).toHaveBeenCalledTimes(1);
  });
});

describe('generic webhook: the database out of reach is 503, anything else stays an error', () => {
  it('while looking up the source', async () => {
    const { service, sources } = setup();
    sources.findForWebhook.mockRejectedValue(unreachable());
    await expect(service.acceptGeneric(signed(VALID))).rejects.toBeInstanceOf(MessageStoreUnavailable);
  });

  it('while storing the message', async () => {
    const { service, messages } = setup();
    messages.accept.mockRejectedValue(Object.assign(new Error('Connection terminated unexpectedly'), {}));
    await expect(service.acceptGeneric(signed(VALID))).rejects.toBeInstanceOf(MessageStoreUnavailable);
  });

  it('a bug is not disguised as unavailability', async () => {
    const { service, messages } = setup();
    messages.accept.mockRejectedValue(new TypeError('x is undefined'));
    await expect(service.acceptGeneric(signed(VALID))).rejects.toBeInstanceOf(TypeError);
  });
});
