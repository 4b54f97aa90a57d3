import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoOrganization } from '@otklik/demo';
import { FeedPoller } from '../src/feeds/feed.poller';
import { FEED_POLLER_DEFAULTS } from '../src/feeds/feed.settings';
import { EVERY_ORGANIZATION, GraphqlAnswer, IntakeUnderTest, outcome, staffViewer } from './intake.harness';

// Medium (STYLE.md §13), SSRF (docs/security.md B8): the real intake app with the feed guard as
// production runs it — INTAKE_FEEDS_ALLOW_PRIVATE unset. A "site" on 127.0.0.1 stands for
// something inside our network that an official's FEED source could aim the poller at.

const KALMANSKY = demoOrganization('kalmansky').id;
const official = staffViewer('official', 'OFFICIAL', KALMANSKY, EVERY_ORGANIZATION);

const CREATE = `mutation ($input: CreateSourceInput!) { createSource(input: $input) { source { id settings } } }`;
const UPDATE = `mutation ($input: UpdateSourceInput!) { updateSource(input: $input) { id settings } }`;
const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
  <item><guid>inside-1</guid><title>internal</title></item></channel></rss>`;

const REFUSED =
  'BAD_USER_INPUT: settings.url must be an address on the public internet (Otklik fetches nothing inside its own network): ';

describe('feeds stay on the public internet (SSRF): refused as they are saved, and again as they are fetched', () => {
  let intake: IntakeUnderTest;
  let inside: Server;
  let port = 0;
  const requests: string[] = [];
  const saved = process.env.INTAKE_FEEDS_ALLOW_PRIVATE;

  const createFeed = (id: string, url: string): Promise<GraphqlAnswer> =>
    intake.graphql(
      CREATE,
      { input: { organizationId: KALMANSKY, id, platform: 'WEBSITE', kind: 'FEED', name: id, settings: { url } } },
      official,
    );

  beforeAll(async () => {
    delete process.env.INTAKE_FEEDS_ALLOW_PRIVATE;
    inside = createServer((req, res) => {
      requests.push(req.url ?? '/');
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS);
    });
    await new Promise<void>((resolve) => inside.listen(0, '127.0.0.1', resolve));
    port = (inside.address() as AddressInfo).port;
    intake = await IntakeUnderTest.start('intake_feed_addresses', {
      feedPoller: { ...FEED_POLLER_DEFAULTS, enabled: false, timeoutMs: 2_000 },
    });
  }, 60_000);

  afterAll(async () => {
    await intake?.stop();
    inside?.closeAllConnections();
    await new Promise((resolve) => inside?.close(resolve));
    if (saved === undefined) delete process.env.INTAKE_FEEDS_ALLOW_PRIVATE;
    else process.env.INTAKE_FEEDS_ALLOW_PRIVATE = saved;
  });

  it('createSource refuses a FEED on 127.0.0.1, in any spelling, naming the field and why; nothing is stored', async () => {
    const answer = await createFeed('feed-inside', `http://127.0.0.1:${port}/rss`);
    expect(outcome(answer)).toBe(`${REFUSED}127.0.0.1 is a loopback address`);
    expect((answer.errors?.[0].extensions as { field?: string } | undefined)?.field).toBe('settings.url');
    expect(outcome(await createFeed('feed-decimal', `http://2130706433:${port}/rss`))).toBe(
      `${REFUSED}127.0.0.1 is a loopback address`,
    );
    expect(outcome(await createFeed('feed-octal', `http://0177.0.0.1:${port}/rss`))).toBe(
      `${REFUSED}127.0.0.1 is a loopback address`,
    );
    expect(outcome(await createFeed('feed-mapped', `http://[::ffff:127.0.0.1]:${port}/rss`))).toBe(
      `${REFUSED}::ffff:7f00:1 is a loopback address`,
    );
    expect(outcome(await createFeed('feed-metadata', 'http://169.254.169.254/latest/meta-data/'))).toBe(
      `${REFUSED}169.254.169.254 is a link-local address (cloud metadata lives there)`,
    );
    // A name is judged by what it resolves to.
    expect(outcome(await createFeed('feed-localhost', `http://localhost:${port}/rss`))).toMatch(
      /^BAD_USER_INPUT: settings\.url .*: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/,
    );
    expect(await intake.sql("select id from intake.sources where id like 'feed-%'")).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('updateSource refuses a private address too, and the feed keeps its address', async () => {
    // Does not resolve here: not refused when saved (the poller checks again at every fetch).
    expect(outcome(await createFeed('feed-site', 'https://kalmanka.example/news.rss'))).toBe('OK');
    const answer = await intake.graphql(
      UPDATE,
      { input: { id: 'feed-site', settings: { url: 'http://10.20.30.40/rss' } } },
      official,
    );
    expect(outcome(answer)).toBe(`${REFUSED}10.20.30.40 is a private address`);
    expect(await intake.sql("select settings from intake.sources where id = 'feed-site'")).toEqual([
      { settings: { url: 'https://kalmanka.example/news.rss' } },
    ]);
  });

  it('at fetch time, a feed whose name resolves to loopback (saved before the rule, or DNS changed since) is refused without a request', async () => {
    await intake.insertSource({
      id: 'feed-rebound',
      organizationId: KALMANSKY,
      platform: 'WEBSITE',
      kind: 'FEED',
      settings: { url: `http://localhost:${port}/rss` },
    });
    await intake.insertSource({
      id: 'feed-literal',
      organizationId: KALMANSKY,
      platform: 'WEBSITE',
      kind: 'FEED',
      settings: { url: `http://127.0.0.1:${port}/rss` },
    });
    const outcomes = await intake.app.get(FeedPoller).pollOnce();
    const errorOf = (id: string) => outcomes.find((o) => o.sourceId === id)?.error;
    expect(errorOf('feed-rebound')).toMatch(
      /^address refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address \(a feed must be on the public internet\)$/,
    );
    expect(errorOf('feed-literal')).toBe(
      'address refused: 127.0.0.1 is a loopback address (a feed must be on the public internet)',
    );
    expect(requests).toEqual([]);
    expect(
      await intake.sql(
        "select source_id, failures from intake.feed_state where source_id in ('feed-rebound', 'feed-literal') order by 1",
      ),
    ).toEqual([
      { source_id: 'feed-literal', failures: 1 },
      { source_id: 'feed-rebound', failures: 1 },
    ]);
    expect(
      await intake.sql("select 1 from intake.messages where source_id in ('feed-rebound', 'feed-literal')"),
    ).toEqual([]);
  });
});
