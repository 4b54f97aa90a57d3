import type { ConnectorSource, InboundRequest, InboundVerdict } from './connector';
import { okConnector } from './ok';

// Payloads are apiok.ru's own examples (graph.user.subscribe, "Webhook message examples"), plus
// the webhookType and sender.name that later deliveries carry.

const NOW = new Date('2026-03-01T09:00:00Z');

const SOURCE: ConnectorSource = {
  id: 'ok-group',
  platform: 'OK',
  secrets: ['current-secret', 'previous-secret'],
  settings: {},
  credentials: {},
};

const PLAIN_TEXT = {
  sender: { user_id: 'user:123456789012' },
  recipient: { chat_id: 'chat:C3ecb9d02a600' },
  message: { text: 'text', seq: 98211023614189660, mid: 'mid:C3ecb9d02a600.15cea67d78d2059' },
  timestamp: 1498581292941,
};

const WITH_ATTACHMENT = {
  sender: { user_id: 'user:123456789012' },
  recipient: { chat_id: 'chat:C3ecb9d02a600' },
  message: {
    text: 'https://ya.ru/',
    seq: 98211018056672380,
    attachments: [{ type: 'SHARE', payload: { url: 'https://ya.ru/' } }],
    mid: 'mid:C3ecb9d02a600.15cea668c4c2481',
  },
  timestamp: 1498581208140,
};

function post(body: unknown, query: Record<string, string> = { secret: 'current-secret' }): InboundRequest {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=utf-8' },
    query,
    body: new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)),
  };
}

function delivery(verdict: InboundVerdict) {
  if (verdict.kind !== 'DELIVERY') throw new Error(`expected a delivery, got ${JSON.stringify(verdict)}`);
  return verdict;
}

describe('okConnector: OK Bot API for groups (cl. 2, Odnoklassniki)', () => {
  it('serves /webhooks/ok for OK_BOT sources, by POST', () => {
    expect(okConnector).toMatchObject({ path: 'ok', sourceKind: 'OK_BOT', methods: ['POST'] });
  });

  describe('the source secret in the URL (OK signs nothing)', () => {
    it('refuses a delivery without ?secret=', () => {
      expect(okConnector.receive(post(PLAIN_TEXT, {}), SOURCE, NOW)).toMatchObject({ kind: 'REFUSE', status: 401 });
    });

    it('refuses a wrong secret, naming the source', () => {
      const verdict = okConnector.receive(post(PLAIN_TEXT, { secret: 'guessed' }), SOURCE, NOW);
      expect(verdict).toEqual({
        kind: 'REFUSE',
        status: 401,
        reason: "the URL's ?secret= is not source ok-group's secret",
      });
    });

    it('accepts the previous secret during a rotation', () => {
      expect(okConnector.receive(post(PLAIN_TEXT, { secret: 'previous-secret' }), SOURCE, NOW).kind).toBe('DELIVERY');
    });

    it('refuses a GET: OK has no handshake', () => {
      const request = { ...post(PLAIN_TEXT), method: 'GET' as const, body: new Uint8Array() };
      expect(okConnector.receive(request, SOURCE, NOW)).toMatchObject({ kind: 'REFUSE', status: 400 });
    });
  });

  it('refuses a body that is not JSON', () => {
    expect(okConnector.receive(post('{"sender":'), SOURCE, NOW)).toEqual({
      kind: 'REFUSE',
      status: 400,
      reason: 'the body is not a JSON object',
    });
  });

  it('reads the documented plain text message: the chat is the thread, mid identifies it and the delivery', () => {
    const verdict = delivery(okConnector.receive(post(PLAIN_TEXT), SOURCE, NOW));
    expect(verdict.deliveryId).toBe('mid:C3ecb9d02a600.15cea67d78d2059');
    expect(verdict.eventType).toBe('MESSAGE_CREATED');
    expect(verdict.reply).toEqual({ status: 200, contentType: 'text/plain', body: 'ok' });
    expect(verdict.events).toEqual([
      {
        type: 'MESSAGE',
        message: {
          externalId: 'mid:C3ecb9d02a600.15cea67d78d2059',
          platform: 'OK',
          text: 'text',
          postedAt: '2017-06-27T16:34:52.941Z',
          author: { id: '123456789012', url: 'https://ok.ru/profile/123456789012' },
          threadId: 'chat:C3ecb9d02a600',
          attachments: [],
        },
      },
    ]);
  });

  it('keeps a shared link as a LINK attachment', () => {
    const [event] = delivery(okConnector.receive(post(WITH_ATTACHMENT), SOURCE, NOW)).events;
    expect(event).toMatchObject({
      type: 'MESSAGE',
      message: { text: 'https://ya.ru/', attachments: [{ type: 'LINK', url: 'https://ya.ru/' }] },
    });
  });

  it('maps images, videos and files; drops attachments that carry no link (stickers, contacts)', () => {
    const body = {
      ...WITH_ATTACHMENT,
      webhookType: 'MESSAGE_CREATED',
      message: {
        ...WITH_ATTACHMENT.message,
        text: '',
        attachments: [
          { type: 'IMAGE', payload: { url: 'https://i.mycdn.me/image?id=1' } },
          { type: 'VIDEO', payload: { url: 'https://ok.ru/video/2' } },
          { type: 'FILE', payload: { url: 'https://ok.ru/file/3' } },
          { type: 'STICKER', payload: { code: '7' } },
          { type: 'CONTACT', payload: { name: 'Ivan' } },
        ],
      },
    };
    const [event] = delivery(okConnector.receive(post(body), SOURCE, NOW)).events;
    expect(event).toMatchObject({
      message: {
        text: '',
        attachments: [
          { type: 'PHOTO', url: 'https://i.mycdn.me/image?id=1' },
          { type: 'VIDEO', url: 'https://ok.ru/video/2' },
          { type: 'DOCUMENT', url: 'https://ok.ru/file/3' },
        ],
      },
    });
  });

  it("takes the author's name when the delivery gives it", () => {
    const body = {
      ...PLAIN_TEXT,
      webhookType: 'MESSAGE_CREATED',
      sender: { user_id: 'user:42', name: 'Анна Петрова' },
    };
    const [event] = delivery(okConnector.receive(post(body), SOURCE, NOW)).events;
    expect(event).toMatchObject({
      message: { author: { id: '42', name: 'Анна Петрова', url: 'https://ok.ru/profile/42' } },
    });
  });

  it.each(['MESSAGE_CALLBACK', 'CHAT_SYSTEM'])('answers a %s delivery and stores nothing', (webhookType) => {
    const body = { webhookType, sender: { user_id: 'user:1' }, recipient: { chat_id: 'chat:C1' }, timestamp: 1 };
    const verdict = delivery(okConnector.receive(post(body), SOURCE, NOW));
    expect(verdict).toMatchObject({ eventType: webhookType, events: [], ignored: webhookType });
    expect(verdict.deliveryId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('stores nothing for a message with neither text nor attachments', () => {
    const body = { ...PLAIN_TEXT, message: { ...PLAIN_TEXT.message, text: '  ' } };
    expect(delivery(okConnector.receive(post(body), SOURCE, NOW))).toMatchObject({
      events: [],
      ignored: 'MESSAGE_CREATED with no mid, or with neither text nor attachments',
    });
  });

  it('the same message delivered again has the same delivery id', () => {
    const first = delivery(okConnector.receive(post(PLAIN_TEXT), SOURCE, NOW));
    const again = delivery(okConnector.receive(post({ ...PLAIN_TEXT }), SOURCE, new Date()));
    expect(again.deliveryId).toBe(first.deliveryId);
  });
});
