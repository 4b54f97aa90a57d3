import { createHash, createHmac } from 'node:crypto';
import type { ConnectorSource, InboundRequest, InboundVerdict } from './connector';
import { metaConnector } from './meta';

// Payloads follow Meta's Webhooks reference: the Page `feed` field (item comment, verbs add /
// edited / remove, with from, post_id, comment_id, parent_id, created_time) and the Instagram
// `comments` field sample (id, text, from {id, username}, media {id, media_product_type}).

const NOW = new Date('2026-03-01T09:00:00Z');
const PAGE_ID = '1067280970047460';
const IG_ACCOUNT_ID = '17841405822304914';

const SOURCE: ConnectorSource = {
  id: 'meta-app',
  platform: 'FACEBOOK',
  secrets: ['app-secret-now', 'app-secret-before'],
  settings: { restrictedPlatformAllowed: true },
  credentials: { verifyToken: 'meatyhamhock' },
};

function feedComment(verb: string, overrides: Record<string, unknown> = {}) {
  return {
    field: 'feed',
    value: {
      from: { id: '44444444', name: 'Mr. Bean' },
      post: { status_type: 'mobile_status_update', is_published: true, id: `${PAGE_ID}_444444444` },
      message: 'Example comment',
      post_id: `${PAGE_ID}_444444444`,
      comment_id: '444444444_555555555',
      created_time: 1648232263,
      item: 'comment',
      parent_id: `${PAGE_ID}_444444444`,
      verb,
      ...overrides,
    },
  };
}

function pageNotification(...changes: unknown[]) {
  return { object: 'page', entry: [{ id: PAGE_ID, time: 1648232270, changes }] };
}

const INSTAGRAM_COMMENT = {
  object: 'instagram',
  entry: [
    {
      id: IG_ACCOUNT_ID,
      time: 1648232300,
      changes: [
        {
          field: 'comments',
          value: {
            from: { id: '232323232', username: 'test' },
            media: { id: '123123123', media_product_type: 'FEED' },
            id: '17865799348089039',
            parent_id: '1231231234',
            text: 'This is an example.',
          },
        },
      ],
    },
  ],
};

function signed(body: unknown, secret = 'app-secret-now'): InboundRequest {
  const bytes = new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`,
    },
    query: {},
    body: bytes,
  };
}

function verification(query: Record<string, string>): InboundRequest {
  return { method: 'GET', headers: {}, query, body: new Uint8Array() };
}

function delivery(verdict: InboundVerdict) {
  if (verdict.kind !== 'DELIVERY') throw new Error(`expected a delivery, got ${JSON.stringify(verdict)}`);
  return verdict;
}

const HANDSHAKE = { 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': 'meatyhamhock' };

describe('metaConnector: Facebook Page and Instagram comments (cl. 2)', () => {
  it('serves /webhooks/meta for META_WEBHOOK sources, GET and POST', () => {
    expect(metaConnector).toMatchObject({ path: 'meta', sourceKind: 'META_WEBHOOK', methods: ['GET', 'POST'] });
  });

  describe('restricted in Russia since 2022: off unless the organisation turns it on', () => {
    const off: ConnectorSource = { ...SOURCE, settings: {} };

    it.each([
      ['the verification handshake', verification(HANDSHAKE)],
      ['a correctly signed delivery', signed(pageNotification(feedComment('add')))],
    ])('refuses %s with 403 and says how to turn it on', (_, request) => {
      expect(metaConnector.receive(request, off, NOW)).toEqual({
        kind: 'REFUSE',
        status: 403,
        reason:
          'Facebook and Instagram (Meta): restricted in Russia since 2022, and turned off for this organisation — ' +
          "set restrictedPlatformAllowed: true in source meta-app's settings to turn it on",
      });
    });

    it('takes only the boolean true, not a string that looks like it', () => {
      const stringly: ConnectorSource = { ...SOURCE, settings: { restrictedPlatformAllowed: 'true' } };
      expect(metaConnector.receive(verification(HANDSHAKE), stringly, NOW)).toMatchObject({ status: 403 });
    });
  });

  describe('the verification request (GET)', () => {
    it('echoes hub.challenge as text when the verify token matches', () => {
      expect(metaConnector.receive(verification(HANDSHAKE), SOURCE, NOW)).toEqual({
        kind: 'ANSWER',
        reply: { status: 200, contentType: 'text/plain', body: '1158201444' },
      });
    });

    it('refuses a wrong verify token with 403', () => {
      const verdict = metaConnector.receive(verification({ ...HANDSHAKE, 'hub.verify_token': 'guess' }), SOURCE, NOW);
      expect(verdict).toMatchObject({
        kind: 'REFUSE',
        status: 403,
        reason: expect.stringContaining('hub.verify_token'),
      });
    });

    it('refuses a mode other than subscribe with 403', () => {
      const verdict = metaConnector.receive(verification({ ...HANDSHAKE, 'hub.mode': 'unsubscribe' }), SOURCE, NOW);
      expect(verdict).toMatchObject({ kind: 'REFUSE', status: 403 });
    });

    it('refuses with 403 when the source has no verify token configured', () => {
      const verdict = metaConnector.receive(verification(HANDSHAKE), { ...SOURCE, credentials: {} }, NOW);
      expect(verdict).toEqual({
        kind: 'REFUSE',
        status: 403,
        reason: 'source meta-app has no verify token (credentials.verifyToken)',
      });
    });

    it('refuses a verification with no challenge', () => {
      const noChallenge: Record<string, string> = { ...HANDSHAKE };
      delete noChallenge['hub.challenge'];
      expect(metaConnector.receive(verification(noChallenge), SOURCE, NOW)).toMatchObject({ status: 400 });
    });
  });

  describe('X-Hub-Signature-256: the HMAC-SHA256 of the raw body with the app secret', () => {
    const body = pageNotification(feedComment('add'));

    it('refuses a delivery without the header', () => {
      const request = signed(body);
      const verdict = metaConnector.receive({ ...request, headers: {} }, SOURCE, NOW);
      expect(verdict).toEqual({ kind: 'REFUSE', status: 401, reason: 'the X-Hub-Signature-256 header is missing' });
    });

    it('refuses a body signed with another secret', () => {
      expect(metaConnector.receive(signed(body, 'someone-else'), SOURCE, NOW)).toMatchObject({
        kind: 'REFUSE',
        status: 401,
      });
    });

    it('refuses a signature of other bytes (the same JSON re-serialised does not pass)', () => {
      const request = signed(body);
      const spaced = new TextEncoder().encode(JSON.stringify(body, null, 2));
      expect(metaConnector.receive({ ...request, body: spaced }, SOURCE, NOW)).toMatchObject({ status: 401 });
    });

    it('accepts the previous app secret during a rotation, and hex in either case', () => {
      expect(metaConnector.receive(signed(body, 'app-secret-before'), SOURCE, NOW).kind).toBe('DELIVERY');
      const request = signed(body);
      const upper = {
        ...request.headers,
        'x-hub-signature-256': request.headers['x-hub-signature-256']?.toUpperCase(),
      };
      expect(metaConnector.receive({ ...request, headers: upper }, SOURCE, NOW).kind).toBe('DELIVERY');
    });

    it('refuses a signed body that is not JSON', () => {
      expect(metaConnector.receive(signed('entry='), SOURCE, NOW)).toMatchObject({ kind: 'REFUSE', status: 400 });
    });
  });

  describe('Page feed comments', () => {
    it('a new comment is a FACEBOOK message: the post is its thread, with a link to the comment', () => {
      const verdict = delivery(metaConnector.receive(signed(pageNotification(feedComment('add'))), SOURCE, NOW));
      expect(verdict.reply).toEqual({ status: 200, contentType: 'text/plain', body: 'EVENT_RECEIVED' });
      expect(verdict.eventType).toBe('page.feed');
      expect(verdict.events).toEqual([
        {
          type: 'MESSAGE',
          message: {
            externalId: '444444444_555555555',
            platform: 'FACEBOOK',
            url: `https://www.facebook.com/${PAGE_ID}/posts/444444444?comment_id=555555555`,
            text: 'Example comment',
            postedAt: '2022-03-25T18:17:43.000Z',
            author: { id: '44444444', name: 'Mr. Bean' },
            threadId: `${PAGE_ID}_444444444`,
            attachments: [],
            raw: feedComment('add').value,
          },
        },
      ]);
    });

    it('an edited comment is an EDIT with the new text', () => {
      const body = pageNotification(feedComment('edited', { message: 'Example comment, corrected' }));
      expect(delivery(metaConnector.receive(signed(body), SOURCE, NOW)).events).toEqual([
        {
          type: 'EDIT',
          editedAt: '2022-03-25T18:17:50.000Z',
          message: expect.objectContaining({ externalId: '444444444_555555555', text: 'Example comment, corrected' }),
        },
      ]);
    });

    it('a removed comment is a DELETE', () => {
      const body = pageNotification(feedComment('remove', { message: undefined }));
      expect(delivery(metaConnector.receive(signed(body), SOURCE, NOW)).events).toEqual([
        { type: 'DELETE', externalId: '444444444_555555555', deletedAt: '2022-03-25T18:17:50.000Z' },
      ]);
    });

    it('keeps a photo comment’s photo', () => {
      const body = pageNotification(feedComment('add', { photo: 'https://scontent.xx.fbcdn.net/v/photo.jpg' }));
      expect(delivery(metaConnector.receive(signed(body), SOURCE, NOW)).events[0]).toMatchObject({
        message: { attachments: [{ type: 'PHOTO', url: 'https://scontent.xx.fbcdn.net/v/photo.jpg' }] },
      });
    });

    it("ignores the Page's own comments (its answers are not citizens' messages)", () => {
      const body = pageNotification(feedComment('add', { from: { id: PAGE_ID, name: 'Test Page' } }));
      expect(delivery(metaConnector.receive(signed(body), SOURCE, NOW))).toMatchObject({
        events: [],
        ignored: "page.feed the Page's own comment",
      });
    });

    it('ignores posts, reactions and hidden comments', () => {
      const body = pageNotification(
        { field: 'feed', value: { item: 'status', verb: 'add', post_id: `${PAGE_ID}_1`, message: 'News' } },
        { field: 'feed', value: { item: 'reaction', verb: 'add', post_id: `${PAGE_ID}_1`, reaction_type: 'like' } },
        feedComment('hide'),
      );
      expect(delivery(metaConnector.receive(signed(body), SOURCE, NOW))).toMatchObject({
        eventType: 'page.feed',
        events: [],
        ignored: 'page.feed status add, page.feed reaction add, page.feed comment hide',
      });
    });
  });

  describe('Instagram comments', () => {
    it('a new comment is an INSTAGRAM message on its media', () => {
      const verdict = delivery(metaConnector.receive(signed(INSTAGRAM_COMMENT), SOURCE, NOW));
      expect(verdict.eventType).toBe('instagram.comments');
      expect(verdict.events).toEqual([
        {
          type: 'MESSAGE',
          message: {
            externalId: '17865799348089039',
            platform: 'INSTAGRAM',
            text: 'This is an example.',
            postedAt: '2022-03-25T18:18:20.000Z',
            author: { id: '232323232', name: 'test', url: 'https://www.instagram.com/test/' },
            threadId: '123123123',
            attachments: [],
            raw: INSTAGRAM_COMMENT.entry[0].changes[0].value,
          },
        },
      ]);
    });

    it("ignores the account's own comments", () => {
      const own = structuredClone(INSTAGRAM_COMMENT);
      own.entry[0].changes[0].value.from = { id: IG_ACCOUNT_ID, username: 'our_account' };
      expect(delivery(metaConnector.receive(signed(own), SOURCE, NOW)).events).toEqual([]);
    });
  });

  describe('several entries and changes in one POST', () => {
    const batch = {
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          time: 1648232270,
          changes: [feedComment('add'), feedComment('add', { comment_id: '444444444_6' })],
        },
        { id: PAGE_ID, time: 1648232280, changes: [feedComment('remove', { comment_id: '444444444_7' })] },
      ],
    };

    it('gives one event per change, in order', () => {
      const events = delivery(metaConnector.receive(signed(batch), SOURCE, NOW)).events;
      expect(
        events.map((event) => [event.type, event.type === 'DELETE' ? event.externalId : event.message.externalId]),
      ).toEqual([
        ['MESSAGE', '444444444_555555555'],
        ['MESSAGE', '444444444_6'],
        ['DELETE', '444444444_7'],
      ]);
    });

    it('names the delivery by the digest of its bytes: a retry is the same delivery, other bytes another', () => {
      const request = signed(batch);
      const verdict = delivery(metaConnector.receive(request, SOURCE, NOW));
      expect(verdict.deliveryId).toBe(`sha256:${createHash('sha256').update(request.body).digest('hex')}`);
      expect(delivery(metaConnector.receive(signed(batch), SOURCE, new Date())).deliveryId).toBe(verdict.deliveryId);
      const other = delivery(metaConnector.receive(signed(pageNotification(feedComment('add'))), SOURCE, NOW));
      expect(other.deliveryId).not.toBe(verdict.deliveryId);
    });
  });

  it('answers an object it does not read (e.g. user) and stores nothing', () => {
    const body = {
      object: 'user',
      entry: [{ id: '1', time: 1, changes: [{ field: 'photos', value: { verb: 'update' } }] }],
    };
    expect(delivery(metaConnector.receive(signed(body), SOURCE, NOW))).toMatchObject({
      eventType: 'user.photos',
      events: [],
      ignored: 'user.photos',
    });
  });
});
