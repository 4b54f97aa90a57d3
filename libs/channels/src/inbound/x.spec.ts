import { createHash, createHmac } from 'node:crypto';
import type { ConnectorSource, InboundRequest, InboundVerdict } from './connector';
import { xConnector, xSignature } from './x';

// Payloads follow X's Account Activity API samples: `for_user_id` with `tweet_create_events`
// (v1.1 Tweet objects: id_str, created_at, text / extended_tweet.full_text, user, in_reply_to_*,
// entities) and `tweet_delete_events` ({status: {id, user_id}, timestamp_ms}).

const NOW = new Date('2026-03-01T09:00:00Z');
const ACCOUNT = '2244994945';

const SOURCE: ConnectorSource = {
  id: 'x-account',
  platform: 'TWITTER',
  secrets: ['consumer-secret-now', 'consumer-secret-before'],
  settings: { restrictedPlatformAllowed: true },
  credentials: {},
};

const REPLY = {
  created_at: 'Wed Oct 10 20:19:24 +0000 2018',
  id: 1050118621198921728,
  id_str: '1050118621198921728',
  text: '@TwitterDev the bus stop on Lenina street has had no shelter for a month',
  truncated: false,
  in_reply_to_status_id: 1050118000000000000,
  in_reply_to_status_id_str: '1050118000000000000',
  in_reply_to_user_id_str: ACCOUNT,
  in_reply_to_screen_name: 'TwitterDev',
  user: { id: 6253282, id_str: '6253282', name: 'Twitter API', screen_name: 'TwitterAPI' },
  entities: { hashtags: [], urls: [], user_mentions: [{ id_str: ACCOUNT, screen_name: 'TwitterDev' }] },
};

function signed(body: unknown, secret = 'consumer-secret-now'): InboundRequest {
  const bytes = new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-twitter-webhooks-signature': `sha256=${createHmac('sha256', secret).update(bytes).digest('base64')}`,
    },
    query: {},
    body: bytes,
  };
}

function crc(query: Record<string, string>): InboundRequest {
  return { method: 'GET', headers: {}, query, body: new Uint8Array() };
}

function delivery(verdict: InboundVerdict) {
  if (verdict.kind !== 'DELIVERY') throw new Error(`expected a delivery, got ${JSON.stringify(verdict)}`);
  return verdict;
}

describe('xConnector: X Account Activity API (cl. 2, Twitter)', () => {
  it('serves /webhooks/x for X_ACTIVITY sources, GET and POST', () => {
    expect(xConnector).toMatchObject({ path: 'x', sourceKind: 'X_ACTIVITY', methods: ['GET', 'POST'] });
  });

  describe('restricted in Russia since 2022: off unless the organisation turns it on', () => {
    const off: ConnectorSource = { ...SOURCE, settings: { restrictedPlatformAllowed: false } };

    it.each([
      ['the challenge-response check', crc({ crc_token: 'challenge' })],
      ['a correctly signed delivery', signed({ for_user_id: ACCOUNT, tweet_create_events: [REPLY] })],
    ])('refuses %s with 403', (_, request) => {
      expect(xConnector.receive(request, off, NOW)).toEqual({
        kind: 'REFUSE',
        status: 403,
        reason:
          'X (Twitter): restricted in Russia since 2022, and turned off for this organisation — ' +
          "set restrictedPlatformAllowed: true in source x-account's settings to turn it on",
      });
    });
  });

  describe('the challenge-response check (GET crc_token)', () => {
    it('answers sha256= and the base64 HMAC-SHA256 of crc_token keyed with the consumer secret, as JSON', () => {
      const verdict = xConnector.receive(crc({ crc_token: 'KjYyNTc1NDE2NTQ4' }), SOURCE, NOW);
      const expected = createHmac('sha256', 'consumer-secret-now').update('KjYyNTc1NDE2NTQ4').digest('base64');
      expect(verdict).toEqual({
        kind: 'ANSWER',
        reply: {
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({ response_token: `sha256=${expected}` }),
        },
      });
    });

    it('refuses a GET without crc_token', () => {
      expect(xConnector.receive(crc({}), SOURCE, NOW)).toEqual({
        kind: 'REFUSE',
        status: 400,
        reason: 'crc_token is missing',
      });
    });
  });

  describe('x-twitter-webhooks-signature: base64 HMAC-SHA256 of the body', () => {
    const body = { for_user_id: ACCOUNT, tweet_create_events: [REPLY] };

    it('refuses a delivery without the header', () => {
      const verdict = xConnector.receive({ ...signed(body), headers: {} }, SOURCE, NOW);
      expect(verdict).toMatchObject({ kind: 'REFUSE', status: 401 });
    });

    it('refuses a body signed with another secret', () => {
      expect(xConnector.receive(signed(body, 'not-ours'), SOURCE, NOW)).toMatchObject({ kind: 'REFUSE', status: 401 });
    });

    it('refuses a signature of other bytes', () => {
      const request = signed(body);
      const tampered = new TextEncoder().encode(JSON.stringify({ ...body, for_user_id: '1' }));
      expect(xConnector.receive({ ...request, body: tampered }, SOURCE, NOW)).toMatchObject({ status: 401 });
    });

    it('accepts the previous consumer secret during a rotation', () => {
      expect(xConnector.receive(signed(body, 'consumer-secret-before'), SOURCE, NOW).kind).toBe('DELIVERY');
    });

    it('signs as xSignature does', () => {
      const request = signed(body);
      expect(request.headers['x-twitter-webhooks-signature']).toBe(xSignature('consumer-secret-now', request.body));
    });
  });

  describe('tweet_create_events', () => {
    it('a reply to the account is a TWITTER message in the thread of the post it answers', () => {
      const verdict = delivery(
        xConnector.receive(signed({ for_user_id: ACCOUNT, tweet_create_events: [REPLY] }), SOURCE, NOW),
      );
      expect(verdict.eventType).toBe('tweet_create_events');
      expect(verdict.reply).toEqual({ status: 200, contentType: 'text/plain', body: 'ok' });
      expect(verdict.events).toEqual([
        {
          type: 'MESSAGE',
          message: {
            externalId: '1050118621198921728',
            platform: 'TWITTER',
            url: 'https://x.com/TwitterAPI/status/1050118621198921728',
            text: '@TwitterDev the bus stop on Lenina street has had no shelter for a month',
            postedAt: '2018-10-10T20:19:24.000Z',
            author: { id: '6253282', name: 'Twitter API', url: 'https://x.com/TwitterAPI' },
            threadId: '1050118000000000000',
            attachments: [],
            raw: REPLY,
          },
        },
      ]);
    });

    it('a mention that answers nothing has no thread', () => {
      const mention = { ...REPLY, in_reply_to_status_id: null, in_reply_to_status_id_str: null };
      const [event] = delivery(
        xConnector.receive(signed({ for_user_id: ACCOUNT, tweet_create_events: [mention] }), SOURCE, NOW),
      ).events;
      expect(event.type === 'MESSAGE' && event.message.threadId).toBeUndefined();
    });

    it('reads the whole text of a long post from extended_tweet, with its photos', () => {
      const long = {
        ...REPLY,
        truncated: true,
        text: '@TwitterDev the bus stop on Lenina street… https://t.co/abc',
        extended_tweet: {
          full_text: '@TwitterDev the bus stop on Lenina street has had no shelter for a month, and it rains every day',
          extended_entities: {
            media: [{ id_str: '1', type: 'photo', media_url_https: 'https://pbs.twimg.com/media/stop.jpg' }],
          },
        },
      };
      const [event] = delivery(
        xConnector.receive(signed({ for_user_id: ACCOUNT, tweet_create_events: [long] }), SOURCE, NOW),
      ).events;
      expect(event).toMatchObject({
        message: {
          text: '@TwitterDev the bus stop on Lenina street has had no shelter for a month, and it rains every day',
          attachments: [{ type: 'PHOTO', url: 'https://pbs.twimg.com/media/stop.jpg' }],
        },
      });
    });

    it("ignores the account's own posts and bare reposts", () => {
      const own = { ...REPLY, id_str: '2', user: { id_str: ACCOUNT, name: 'TwitterDev', screen_name: 'TwitterDev' } };
      const repost = { ...REPLY, id_str: '3', retweeted_status: { id_str: '1', text: 'news' } };
      expect(
        delivery(xConnector.receive(signed({ for_user_id: ACCOUNT, tweet_create_events: [own, repost] }), SOURCE, NOW)),
      ).toMatchObject({
        events: [],
        ignored: "tweet_create_events the account's own post, tweet_create_events a repost",
      });
    });
  });

  it('tweet_delete_events: the deleted post is a DELETE, by its author, at X’s time', () => {
    const body = {
      for_user_id: ACCOUNT,
      tweet_delete_events: [
        { status: { id: '1045405559317569537', user_id: '6253282' }, timestamp_ms: '1432228155593' },
      ],
    };
    expect(delivery(xConnector.receive(signed(body), SOURCE, NOW))).toMatchObject({
      eventType: 'tweet_delete_events',
      events: [
        {
          type: 'DELETE',
          externalId: '1045405559317569537',
          deletedAt: '2015-05-21T17:09:15.593Z',
          deletedBy: '6253282',
        },
      ],
    });
  });

  it('answers other activity (likes, follows, direct messages) and stores nothing', () => {
    const body = { for_user_id: ACCOUNT, favorite_events: [{ id: 'a7ba59eab0bfcba386f7acedac279542' }] };
    expect(delivery(xConnector.receive(signed(body), SOURCE, NOW))).toMatchObject({
      eventType: 'favorite_events',
      events: [],
      ignored: 'favorite_events',
    });
  });

  it('names the delivery by the digest of its bytes', () => {
    const request = signed({ for_user_id: ACCOUNT, tweet_create_events: [REPLY] });
    expect(delivery(xConnector.receive(request, SOURCE, NOW)).deliveryId).toBe(
      `sha256:${createHash('sha256').update(request.body).digest('hex')}`,
    );
  });
});
