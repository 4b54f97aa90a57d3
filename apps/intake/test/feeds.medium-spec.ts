import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { demoOrganization } from '@otklik/demo';
import { freePort, waitFor } from '@otklik/testing';
import { FeedPoller } from '../src/feeds/feed.poller';
import type { FeedPollOutcome } from '../src/feeds/feed.service';
import { FEED_POLLER_DEFAULTS, FeedPollerSettings } from '../src/feeds/feed.settings';
import { IntakeUnderTest } from './intake.harness';

// Medium (STYLE.md §13): the real intake app on a fresh database, its feed poller driven by hand,
// against a local HTTP server that serves feeds as sites do (ETag, Last-Modified, 304, errors).

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;

/**
 * The loop stays off (tests call pollOnce); short limits so failures come quickly. The site is on
 * 127.0.0.1, so the SSRF guard lets private addresses through here (feed-addresses.medium-spec
 * runs with it on).
 */
const POLLER: FeedPollerSettings = {
  ...FEED_POLLER_DEFAULTS,
  allowPrivateAddresses: true,
  enabled: false,
  timeoutMs: 2_000,
  maxBytes: 64 * 1024,
  batchSize: 3,
};

/** How the site answers one path: a feed with validators, or a failure. */
interface Route {
  status?: number;
  body?: string;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  retryAfter?: string;
  delayMs?: number;
  /** The answer waits for this (a fetch held in flight). */
  hold?: Promise<void>;
  /** Sent without Content-Length, in pieces, as a streaming server does. */
  chunked?: boolean;
}

interface SeenRequest {
  path: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  userAgent?: string;
}

/** A website on 127.0.0.1: serves `routes`, answers 304 to matching validators, records every request. */
class FeedSite {
  readonly routes = new Map<string, Route>();
  readonly requests: SeenRequest[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  requestsTo(path: string): SeenRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    const header = (name: string) => req.headers[name] as string | undefined;
    this.requests.push({
      path,
      ifNoneMatch: header('if-none-match'),
      ifModifiedSince: header('if-modified-since'),
      userAgent: header('user-agent'),
    });
    const route = this.routes.get(path);
    if (route?.delayMs) await new Promise((resolve) => setTimeout(resolve, route.delayMs));
    await route?.hold;
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    const status = route.status ?? 200;
    const validators = {
      ...(route.etag ? { etag: route.etag } : {}),
      ...(route.lastModified ? { 'last-modified': route.lastModified } : {}),
    };
    const unchanged =
      status === 200 &&
      ((route.etag !== undefined && header('if-none-match') === route.etag) ||
        (route.etag === undefined &&
          route.lastModified !== undefined &&
          header('if-modified-since') === route.lastModified));
    if (unchanged) {
      res.writeHead(304, validators).end();
      return;
    }
    const headers = {
      'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8',
      ...(status === 200 ? validators : {}),
      ...(route.retryAfter ? { 'retry-after': route.retryAfter } : {}),
    };
    const body = Buffer.from(route.body ?? '');
    if (route.chunked) {
      res.writeHead(status, headers);
      for (let i = 0; i < body.length; i += 8192) res.write(body.subarray(i, i + 8192));
      res.end();
    } else res.writeHead(status, { ...headers, 'content-length': body.length }).end(body);
  }
}

const rssItem = (n: number, extra = '') => `
    <item>
      <title>Новость ${n}: нет воды на ул. Ленина</title>
      <link>https://kalmanka.example/news/${n}</link>
      <guid isPermaLink="false">news-${n}</guid>
      <description><![CDATA[<p>Жители пишут: воды нет&nbsp;<b>${n}-й</b> день. &laquo;Когда дадут?&raquo;</p>]]></description>
      <pubDate>Fri, 27 Nov 2026 0${n}:15:00 +0700</pubDate>
      <dc:creator>Житель ${n}</dc:creator>${extra}
    </item>`;

const rss = (...items: number[]) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Новости Калманки</title>
    <link>https://kalmanka.example/</link>${items.map((n) => rssItem(n)).join('')}
  </channel>
</rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Форум села Бурановка</title>
  <id>urn:uuid:forum</id>
  <updated>2026-11-27T10:00:00Z</updated>
  <entry>
    <title type="html">Мусор &amp;mdash; опять</title>
    <link rel="alternate" href="/topic/42"/>
    <id>urn:uuid:topic-42</id>
    <published>2026-11-27T10:00:00+07:00</published>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Во дворе <b>не вывозят</b> мусор</p></div></content>
    <author><name>Мария</name><uri>https://forum.example/u/maria</uri></author>
  </entry>
</feed>`;

interface FeedStateRow {
  etag: string | null;
  last_modified: string | null;
  failures: number;
  last_status: number | null;
  last_error: string | null;
  last_new_items: number;
  lease_until: Date | null;
  /** next_poll_at − now(), in seconds */
  due_in: number;
}

describe('feeds (cl. 2): websites’ RSS and Atom feeds, polled on a schedule', () => {
  const site = new FeedSite();
  let intake: IntakeUnderTest;
  let poller: FeedPoller;

  const query = <T>(sql: string, params: unknown[] = []) => intake.sql<T>(sql, params);

  const addFeed = (id: string, organizationId: string, settings: Record<string, unknown>) =>
    intake.insertSource({ id, organizationId, platform: 'WEBSITE', kind: 'FEED', settings });
  const feedAt = (path: string) => ({ url: `${site.url}${path}`, intervalSeconds: 60 });
  const makeDue = (sourceId: string) =>
    query('update intake.feed_state set next_poll_at = now() where source_id = $1', [sourceId]);
  const stateOf = async (sourceId: string) =>
    (
      await query<FeedStateRow>(
        `select etag, last_modified, failures, last_status, last_error, last_new_items, lease_until,
                extract(epoch from next_poll_at - now())::float as due_in
           from intake.feed_state where source_id = $1`,
        [sourceId],
      )
    )[0];
  const messagesOf = (sourceId: string) =>
    query<{
      external_id: string;
      organization_id: string;
      platform: string;
      url: string | null;
      text: string;
      posted_at: Date;
      author: unknown;
      thread_id: string;
    }>(
      `select external_id, organization_id, platform, url, text, posted_at, author, thread_id
         from intake.messages where source_id = $1 order by external_id`,
      [sourceId],
    );
  const pollFor = async (sourceId: string, by: FeedPoller = poller): Promise<FeedPollOutcome | undefined> =>
    (await by.pollOnce()).find((o) => o.sourceId === sourceId);

  beforeAll(async () => {
    await site.start();
    intake = await IntakeUnderTest.start('intake_feeds', { feedPoller: POLLER });
    poller = intake.app.get(FeedPoller);
  }, 60_000);

  afterAll(async () => {
    await intake?.stop();
    await site.stop();
  });

  it('the first poll stores every item as a WEBSITE message of the feed’s organisation; the next one gets 304 and stores nothing', async () => {
    site.routes.set('/news.rss', {
      body: rss(1, 2),
      etag: '"v1"',
      lastModified: 'Fri, 27 Nov 2026 03:00:00 GMT',
    });
    await addFeed('feed-news', KALMANSKY, feedAt('/news.rss'));

    expect(await pollFor('feed-news')).toEqual({
      sourceId: 'feed-news',
      result: 'NEW_ITEMS',
      status: 200,
      newItems: 2,
      duplicates: 0,
    });
    expect(await messagesOf('feed-news')).toEqual([
      {
        external_id: 'news-1',
        organization_id: KALMANSKY,
        platform: 'WEBSITE',
        url: 'https://kalmanka.example/news/1',
        text: 'Новость 1: нет воды на ул. Ленина\n\nЖители пишут: воды нет 1-й день. «Когда дадут?»',
        posted_at: new Date('2026-11-26T18:15:00Z'),
        author: { name: 'Житель 1' },
        thread_id: `${site.url}/news.rss`,
      },
      expect.objectContaining({ external_id: 'news-2', posted_at: new Date('2026-11-26T19:15:00Z') }),
    ]);
    const first = await stateOf('feed-news');
    expect(first).toMatchObject({
      etag: '"v1"',
      last_modified: 'Fri, 27 Nov 2026 03:00:00 GMT',
      failures: 0,
      last_status: 200,
      last_error: null,
      last_new_items: 2,
      lease_until: null,
    });
    // Next due after the feed's interval (60 s), not now.
    expect(first.due_in).toBeGreaterThan(30);
    expect(first.due_in).toBeLessThanOrEqual(60);
    expect(await pollFor('feed-news')).toBeUndefined();

    await makeDue('feed-news');
    expect(await pollFor('feed-news')).toMatchObject({ result: 'NOT_MODIFIED', status: 304, newItems: 0 });
    expect(site.requestsTo('/news.rss').at(-1)).toMatchObject({
      ifNoneMatch: '"v1"',
      ifModifiedSince: 'Fri, 27 Nov 2026 03:00:00 GMT',
      userAgent: expect.stringMatching(/^Otklik-feed-reader/) as string,
    });
    expect(await messagesOf('feed-news')).toHaveLength(2);
    expect(await stateOf('feed-news')).toMatchObject({ last_status: 304, failures: 0, etag: '"v1"' });
  });

  it('a changed feed adds only its new items: the ones read before are duplicates', async () => {
    site.routes.set('/news.rss', { body: rss(3, 2, 1), etag: '"v2"' });
    await makeDue('feed-news');
    expect(await pollFor('feed-news')).toMatchObject({ result: 'NEW_ITEMS', newItems: 1, duplicates: 2 });
    expect((await messagesOf('feed-news')).map((m) => m.external_id)).toEqual(['news-1', 'news-2', 'news-3']);
    expect(await stateOf('feed-news')).toMatchObject({ etag: '"v2"', last_new_items: 1 });
  });

  it('an Atom feed: entries stored in their own organisation, links resolved against the feed', async () => {
    site.routes.set('/forum.atom', {
      body: ATOM,
      contentType: 'application/atom+xml',
      lastModified: 'Fri, 27 Nov 2026 04:00:00 GMT',
    });
    await addFeed('feed-forum', BURANOVSKY, feedAt('/forum.atom'));
    expect(await pollFor('feed-forum')).toMatchObject({ result: 'NEW_ITEMS', newItems: 1 });
    expect(await messagesOf('feed-forum')).toEqual([
      {
        external_id: 'urn:uuid:topic-42',
        organization_id: BURANOVSKY,
        platform: 'WEBSITE',
        url: `${site.url}/topic/42`,
        text: 'Мусор — опять\n\nВо дворе не вывозят мусор',
        posted_at: new Date('2026-11-27T03:00:00Z'),
        author: { name: 'Мария', url: 'https://forum.example/u/maria' },
        thread_id: `${site.url}/forum.atom`,
      },
    ]);
    // Without an ETag, Last-Modified alone makes the next poll conditional.
    await makeDue('feed-forum');
    expect(await pollFor('feed-forum')).toMatchObject({ result: 'NOT_MODIFIED' });
    expect(site.requestsTo('/forum.atom').at(-1)?.ifModifiedSince).toBe('Fri, 27 Nov 2026 04:00:00 GMT');
  });

  it('a 500 backs off exponentially, keeps the validators, and an answer resets it', async () => {
    site.routes.set('/flaky.rss', { body: rss(1), etag: '"f1"' });
    await addFeed('feed-flaky', KALMANSKY, feedAt('/flaky.rss'));
    await pollFor('feed-flaky');

    site.routes.set('/flaky.rss', { status: 500, body: 'oops' });
    await makeDue('feed-flaky');
    expect(await pollFor('feed-flaky')).toEqual({
      sourceId: 'feed-flaky',
      result: 'FAILED',
      status: 500,
      newItems: 0,
      duplicates: 0,
      error: 'HTTP 500 Internal Server Error',
    });
    const once = await stateOf('feed-flaky');
    expect(once).toMatchObject({
      failures: 1,
      last_status: 500,
      last_error: 'HTTP 500 Internal Server Error',
      etag: '"f1"',
    });
    // interval × 2¹ with jitter: between 60 and 120 s.
    expect(once.due_in).toBeGreaterThan(30);
    expect(once.due_in).toBeLessThanOrEqual(120);

    await makeDue('feed-flaky');
    await pollFor('feed-flaky');
    const twice = await stateOf('feed-flaky');
    expect(twice).toMatchObject({ failures: 2, last_status: 500 });
    // interval × 2²: between 120 and 240 s.
    expect(twice.due_in).toBeGreaterThan(90);
    expect(twice.due_in).toBeLessThanOrEqual(240);
    // The failing site was still asked conditionally.
    expect(site.requestsTo('/flaky.rss').at(-1)?.ifNoneMatch).toBe('"f1"');

    site.routes.set('/flaky.rss', { body: rss(1), etag: '"f1"' });
    await makeDue('feed-flaky');
    expect(await pollFor('feed-flaky')).toMatchObject({ result: 'NOT_MODIFIED' });
    expect(await stateOf('feed-flaky')).toMatchObject({ failures: 0, last_status: 304, last_error: null });
  });

  it('429 and 503 with Retry-After: the site’s wish is honoured', async () => {
    site.routes.set('/busy.rss', { status: 429, retryAfter: '3600' });
    await addFeed('feed-busy', KALMANSKY, feedAt('/busy.rss'));
    expect(await pollFor('feed-busy')).toMatchObject({ result: 'FAILED', status: 429 });
    const state = await stateOf('feed-busy');
    expect(state).toMatchObject({ failures: 1, last_status: 429 });
    expect(state.due_in).toBeGreaterThan(3500);
    expect(state.due_in).toBeLessThanOrEqual(3600);
  });

  it('what cannot be read is recorded with its reason, nothing is stored, and nothing is thrown', async () => {
    site.routes.set('/broken.rss', { body: '<rss><channel><item><title>x</title></channel></rss>' });
    site.routes.set('/page.html', {
      body: '<!DOCTYPE html><html><head><title>Сайт</title></head><body><p>Новости<br></body></html>',
      contentType: 'text/html',
    });
    site.routes.set('/slow.rss', { body: rss(1), delayMs: 3_000 });
    site.routes.set('/huge.rss', {
      body: rss(1).replace('</channel>', `<!-- ${'x'.repeat(100_000)} --></channel>`),
      chunked: true,
    });
    await addFeed('feed-broken', KALMANSKY, feedAt('/broken.rss'));
    await addFeed('feed-page', KALMANSKY, feedAt('/page.html'));
    await addFeed('feed-slow', KALMANSKY, feedAt('/slow.rss'));
    await addFeed('feed-huge', KALMANSKY, feedAt('/huge.rss'));
    // A port nobody listens on.
    await addFeed('feed-nowhere', KALMANSKY, { url: `http://127.0.0.1:${await freePort()}/rss` });
    await addFeed('feed-unset', KALMANSKY, { intervalSeconds: 600 });

    const outcomes: FeedPollOutcome[] = [];
    for (let round = 0; round < 3; round++) outcomes.push(...(await poller.pollOnce()));
    const errorOf = (id: string) => outcomes.find((o) => o.sourceId === id)?.error;
    expect(errorOf('feed-broken')).toMatch(/^malformed feed: not well-formed XML: Expected closing tag 'item'/);
    expect(errorOf('feed-page')).toBe(
      'malformed feed: the address answers with an HTML page, not a feed (pages without a feed are not monitored)',
    );
    expect(errorOf('feed-slow')).toBe('no complete answer within 2 s');
    expect(errorOf('feed-huge')).toBe('the feed is larger than 65536 bytes');
    expect(errorOf('feed-nowhere')).toMatch(/^cannot fetch: .*ECONNREFUSED/);
    expect(errorOf('feed-unset')).toBe('settings.url is required');

    const states = await query<{ source_id: string; failures: number; last_error: string; lease_until: Date | null }>(
      `select source_id, failures, last_error, lease_until from intake.feed_state
        where source_id in ('feed-broken', 'feed-page', 'feed-slow', 'feed-huge', 'feed-nowhere', 'feed-unset')`,
    );
    expect(states).toHaveLength(6);
    for (const state of states) {
      expect(state).toMatchObject({ failures: 1, last_error: errorOf(state.source_id), lease_until: null });
    }
    expect(
      await query(
        `select 1 from intake.messages where source_id in ('feed-broken', 'feed-page', 'feed-slow', 'feed-huge')`,
      ),
    ).toEqual([]);
  });

  it('a disabled feed is not polled', async () => {
    site.routes.set('/off.rss', { body: rss(1) });
    await addFeed('feed-off', KALMANSKY, feedAt('/off.rss'));
    await query("update intake.sources set enabled = false where id = 'feed-off'");
    await poller.pollOnce();
    expect(site.requestsTo('/off.rss')).toEqual([]);
  });

  describe('two replicas’ pollers over one database', () => {
    let second: INestApplication;

    beforeAll(async () => {
      second = (await intake.replica()).app;
    }, 60_000);

    afterAll(async () => {
      await second?.close();
    });

    it('a feed being fetched by one poller is not claimed by the other: the lease outlives the claim’s transaction', async () => {
      await query("update intake.feed_state set next_poll_at = now() + interval '1 hour'");
      let release = () => undefined as void;
      site.routes.set('/held.rss', { body: rss(1), hold: new Promise<void>((resolve) => (release = resolve)) });
      await addFeed('feed-held', KALMANSKY, feedAt('/held.rss'));

      const first = poller.pollOnce();
      await waitFor('the first poller’s request', () => (site.requestsTo('/held.rss').length > 0 ? true : undefined));
      // Claimed and committed, still due by its next_poll_at, in flight: the second poller leaves it.
      expect(await second.get(FeedPoller).pollOnce()).toEqual([]);
      release();
      expect((await first).map((o) => o.sourceId)).toEqual(['feed-held']);
      expect(site.requestsTo('/held.rss')).toHaveLength(1);
      expect(await stateOf('feed-held')).toMatchObject({ lease_until: null, last_new_items: 1 });
    });

    it('each due feed is fetched once when both poll at once: SKIP LOCKED shares them out', async () => {
      // Only these feeds are due; every other one waits.
      await query("update intake.feed_state set next_poll_at = now() + interval '1 hour'");
      const twins = Array.from({ length: 8 }, (_, i) => `twin-${i}`);
      for (const id of twins) {
        // Slow answers, so both pollers are at work at once.
        site.routes.set(`/${id}.rss`, { body: rss(1), delayMs: 300 });
        await addFeed(id, KALMANSKY, feedAt(`/${id}.rss`));
      }
      const drain = async (p: FeedPoller) => {
        const polled: string[] = [];
        for (let batch = await p.pollOnce(); batch.length > 0; batch = await p.pollOnce()) {
          polled.push(...batch.map((o) => o.sourceId));
        }
        return polled;
      };
      const [byFirst, bySecond] = await Promise.all([drain(poller), drain(second.get(FeedPoller))]);

      expect([...byFirst, ...bySecond].sort()).toEqual(twins);
      for (const id of twins) expect(site.requestsTo(`/${id}.rss`)).toHaveLength(1);
      // The same items of eight feeds: eight messages, one per feed.
      expect(
        await query(`select source_id from intake.messages where source_id like 'twin-%' order by source_id`),
      ).toEqual(twins.map((source_id) => ({ source_id })));
    });
  });
});
