import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { connectorFor, ConnectorSource, InboundRequest } from '@otklik/channels';
import { CORRELATION_HEADER } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { fuzzSettings } from '@otklik/testing';
import { storedDeliveryId, storedExternalId } from '../src/webhooks/platform-webhook.service';
import { signBody } from '../src/webhooks/signature';
import { IntakeUnderTest } from './intake.harness';
import {
  asSentOrMutated,
  Body,
  Framing,
  framing,
  genericMessage,
  JSON_FRAMING,
  jsonBody,
  maxUpdate,
  mutated,
  notAnObjectBody,
  okEvent,
  telegramUpdate,
  vkEvent,
} from './webhook.arbitraries';

// Medium (STYLE.md §13), a fuzz run (issue 7, "In CI"): the real intake app on a fresh database
// with the demo seed, the real NATS, over real HTTP. fast-check sends each webhook bodies shaped
// as documented, the same bodies mutated (wrong types, unstorable characters, lengths over the
// limits, nesting deeper than a stack, huge lists), bodies that are not JSON or not UTF-8, sizes
// about the 1 MiB limit, and false content types and encodings. Whatever it sends:
//   - the answer is never a 5xx (storage stays available here, so not even the documented 503);
//   - every delivery answered 2xx is found stored, with each message it carried (nothing lost);
//   - the app still answers a genuine webhook afterwards.
// A failure prints fast-check's seed and path; replay it with FUZZ_SEED=… FUZZ_PATH=… (see
// libs/testing/src/fuzz.ts), and run longer by hand with FUZZ_RUNS=….

const KALMANSKY = demoOrganization('kalmansky').id;
const MAX_SECRET = 'max-fuzz-secret';
const OK_SECRET = 'ok-fuzz-secret';

const settings = fuzzSettings({ numRuns: 120, timeMs: 7_000 });

/** What a platform sends: the body's bytes, its framing, and the secret where the platform puts it. */
interface Sent {
  path: string;
  body: Body;
  framing: Framing;
  headers: Record<string, string>;
}

interface Answer {
  status: number;
  text: string;
  correlationId: string;
}

describe('webhook fuzz: whatever a sender sends, no 5xx and nothing accepted is lost', () => {
  let intake: IntakeUnderTest;

  beforeAll(async () => {
    // One sender as fast as it can, for as many runs as FUZZ_RUNS asks: the rate limit is proven elsewhere.
    process.env.INTAKE_WEBHOOK_RATE_LIMIT = '1000000/60s';
    intake = await IntakeUnderTest.start('intake_webhook_fuzz');
    await intake.insertSource({
      id: 'max-fuzz',
      organizationId: KALMANSKY,
      platform: 'MAX',
      kind: 'MAX_BOT',
      secret: MAX_SECRET,
    });
    await intake.insertSource({
      id: 'ok-fuzz',
      organizationId: KALMANSKY,
      platform: 'OK',
      kind: 'OK_BOT',
      secret: OK_SECRET,
      settings: {},
    });
  }, 60_000);

  afterAll(async () => {
    await intake?.stop();
  });

  const send = async ({ path, body, framing: frame, headers }: Sent): Promise<Answer> => {
    const correlationId = randomUUID();
    const response = await fetch(`${intake.url}/webhooks/${path}`, {
      method: 'POST',
      headers: {
        ...(frame.contentType === undefined ? {} : { 'content-type': frame.contentType }),
        ...(frame.contentEncoding === undefined ? {} : { 'content-encoding': frame.contentEncoding }),
        [CORRELATION_HEADER]: correlationId,
        ...headers,
      },
      body: frame.wire(body.bytes),
    });
    return { status: response.status, text: await response.text(), correlationId };
  };

  /** The property every webhook shares: not a 5xx, whatever was sent. */
  const expectNoServerError = (sent: Sent, answer: Answer) => {
    if (answer.status >= 500) {
      throw new Error(
        `POST /webhooks/${sent.path} answered ${answer.status}: ${answer.text.slice(0, 300)}\n` +
          `body (${sent.body.bytes.length} bytes): ${Buffer.from(sent.body.bytes.subarray(0, 300)).toString('utf8')}`,
      );
    }
  };

  /** A genuine generic webhook is still accepted and stored: the app survived what came before. */
  const expectStillServing = async () => {
    const body = jsonBody({
      externalId: `canary-${randomUUID()}`,
      text: 'Нет воды',
      postedAt: new Date().toISOString(),
    });
    const answer = await send({
      path: 'generic/demo-webhook',
      body,
      framing: JSON_FRAMING,
      headers: { 'x-otklik-signature': signBody('demo-secret', body.bytes) },
    });
    expect(answer.status).toBe(202);
    const { messageId } = JSON.parse(answer.text) as { messageId: string };
    expect(await intake.sql('select 1 from intake.messages where id = $1', [messageId])).toHaveLength(1);
  };

  it(
    'generic: signed bodies, documented and mutated and not JSON at all, never get a 5xx; each 202 is stored',
    async () => {
      const signing = fc.oneof(
        { weight: 8, arbitrary: fc.constant('body' as const) },
        { weight: 2, arbitrary: fc.constant('timestamp' as const) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('none' as const, 'wrong' as const, 'malformed' as const, 'stale' as const),
        },
      );
      const body = fc.oneof(
        { weight: 3, arbitrary: genericMessage.map(jsonBody) },
        { weight: 5, arbitrary: mutated(genericMessage).map(jsonBody) },
        { weight: 2, arbitrary: notAnObjectBody },
      );
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(body, signing, framing, async (sentBody, how, frame) => {
          const bytes = sentBody.bytes;
          const now = Math.floor(Date.now() / 1000);
          const headers: Record<string, string> =
            how === 'none'
              ? {}
              : how === 'wrong'
                ? { 'x-otklik-signature': signBody('not-the-secret', bytes) }
                : how === 'malformed'
                  ? { 'x-otklik-signature': `sha256=${'z'.repeat(64)}` }
                  : how === 'body'
                    ? { 'x-otklik-signature': signBody('demo-secret', bytes) }
                    : {
                        'x-otklik-timestamp': String(how === 'stale' ? now - 3600 : now),
                        'x-otklik-signature': signBody(
                          'demo-secret',
                          bytes,
                          String(how === 'stale' ? now - 3600 : now),
                        ),
                      };
          const sent = { path: 'generic/demo-webhook', body: sentBody, framing: frame, headers };
          const answer = await send(sent);
          expectNoServerError(sent, answer);
          if (answer.status === 202) {
            accepted++;
            const { messageId } = JSON.parse(answer.text) as { messageId: string };
            const stored = await intake.sql(
              "select 1 from intake.messages where id = $1 and source_id = 'demo-webhook'",
              [messageId],
            );
            expect(stored).toHaveLength(1);
          }
        }),
        settings.parameters,
      );
      // Accepted messages were checked, not only refusals (a replay runs one case).
      if (!settings.replaying) expect(accepted).toBeGreaterThan(0);
      await expectStillServing();
    },
    settings.jestTimeoutMs,
  );

  /**
   * What the connector makes of the request is what must be found stored after a 2xx: the
   * delivery, and every message it carried (a repeat of an earlier delivery carries none anew).
   */
  const expectDeliveryStored = async (
    platform: string,
    source: ConnectorSource,
    sent: Sent,
    answer: Answer,
  ): Promise<number> => {
    if (answer.status < 200 || answer.status >= 300) return 0;
    const request: InboundRequest = {
      method: 'POST',
      headers: Object.fromEntries(Object.entries(sent.headers).map(([k, v]) => [k.toLowerCase(), v])),
      query: Object.fromEntries(new URL(`http://x/${sent.path}`).searchParams),
      body: new Uint8Array(sent.body.bytes),
    };
    const verdict = connectorFor(platform)?.receive(request, source, new Date());
    if (verdict?.kind !== 'DELIVERY') return 0;
    const [delivery] = await intake.sql<{ correlation_id: string }>(
      'select correlation_id from intake.deliveries where source_id = $1 and delivery_id = $2',
      [source.id, storedDeliveryId(verdict.deliveryId)],
    );
    expect(delivery).toBeDefined();
    if (delivery.correlation_id !== answer.correlationId) return 0;
    let found = 0;
    for (const event of verdict.events) {
      if (event.type === 'DELETE') continue;
      const externalId = storedExternalId(event.message.externalId);
      const stored = await intake.sql('select 1 from intake.messages where source_id = $1 and external_id = $2', [
        source.id,
        externalId,
      ]);
      if (stored.length !== 1)
        throw new Error(`${platform}: message ${externalId.slice(0, 200)} was answered 2xx but not stored`);
      found++;
    }
    return found;
  };

  const platforms: Array<{
    name: string;
    platform: 'vk' | 'telegram' | 'max' | 'ok';
    source: ConnectorSource;
    body: fc.Arbitrary<unknown>;
    /** Where the secret goes: the body (VK), a header, or the URL (OK). */
    sent: (body: Body, frame: Framing, secret: string) => Sent;
  }> = [
    {
      name: 'VK Callback API',
      platform: 'vk',
      source: {
        id: 'demo-vk',
        platform: 'VK',
        secrets: ['demo-vk-secret'],
        settings: { groupId: 1, confirmation: 'demo-confirm' },
        credentials: {},
      },
      body: asSentOrMutated(vkEvent),
      sent: (body, frame) => ({ path: 'vk/demo-vk', body, framing: frame, headers: {} }),
    },
    {
      name: 'Telegram Bot API',
      platform: 'telegram',
      source: { id: 'demo-telegram', platform: 'TELEGRAM', secrets: ['demo-tg-secret'], settings: {}, credentials: {} },
      body: asSentOrMutated(telegramUpdate),
      sent: (body, frame, secret) => ({
        path: 'telegram/demo-telegram',
        body,
        framing: frame,
        headers: { 'x-telegram-bot-api-secret-token': secret },
      }),
    },
    {
      name: 'MAX bot API',
      platform: 'max',
      source: { id: 'max-fuzz', platform: 'MAX', secrets: [MAX_SECRET], settings: {}, credentials: {} },
      body: asSentOrMutated(maxUpdate),
      sent: (body, frame, secret) => ({
        path: 'max/max-fuzz',
        body,
        framing: frame,
        headers: { 'x-max-bot-api-secret': secret },
      }),
    },
    {
      name: 'OK Bot API',
      platform: 'ok',
      source: { id: 'ok-fuzz', platform: 'OK', secrets: [OK_SECRET], settings: {}, credentials: {} },
      body: asSentOrMutated(okEvent),
      sent: (body, frame, secret) => ({
        path: `ok/ok-fuzz?secret=${encodeURIComponent(secret)}`,
        body,
        framing: frame,
        headers: {},
      }),
    },
  ];

  it.each(platforms)(
    '$name: documented and mutated bodies with the source secret never get a 5xx; each delivery answered 2xx is stored',
    async ({ platform, source, body, sent }) => {
      const bytes = fc.oneof({ weight: 9, arbitrary: body.map(jsonBody) }, { weight: 1, arbitrary: notAnObjectBody });
      const secret = fc.oneof(
        { weight: 9, arbitrary: fc.constant(source.secrets[0]) },
        { weight: 1, arbitrary: fc.stringMatching(/^[\x21-\x7e]{0,100}$/) },
      );
      let storedMessages = 0;
      await fc.assert(
        fc.asyncProperty(bytes, framing, secret, async (raw, frame, given) => {
          const request = sent(raw, frame, given);
          const answer = await send(request);
          expectNoServerError(request, answer);
          if (frame.honest) storedMessages += await expectDeliveryStored(platform, source, request, answer);
        }),
        settings.parameters,
      );
      // Messages were found stored, not only refusals and ignored events (a replay runs one case).
      if (!settings.replaying) expect(storedMessages).toBeGreaterThan(0);
      await expectStillServing();
    },
    settings.jestTimeoutMs,
  );
});
