import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { LookupAddress } from 'node:dns';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  EgressPolicy,
  EgressRefusedError,
  guardedLookup,
  resolvedRefusal,
  Resolver,
  urlRefusal,
} from './egress.policy';
import { guardedFetch } from './guarded-fetch';

// The SSRF guard (docs/security.md, B8) over real sockets: local servers stand for "a site" and
// "something inside our network". Both are on loopback, so the site is let through as a single
// allowed address (127.0.0.2), and names are resolved by a resolver the test controls.

const SITE_ADDRESS = '127.0.0.2';
const ONLY_THE_SITE: EgressPolicy = { allowPrivate: false, allowedAddresses: [SITE_ADDRESS] };

class Recorder {
  readonly paths: string[] = [];
  server?: Server;
  port = 0;

  constructor(private readonly handle: (req: IncomingMessage, res: ServerResponse) => void) {}

  async start(host: string): Promise<this> {
    this.server = createServer((req, res) => {
      this.paths.push(req.url ?? '/');
      this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, host, resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** Names as the test says they resolve; anything else does not exist. */
function resolverOf(names: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (hostname: string): Promise<LookupAddress[]> => {
    asked.push(hostname);
    const addresses = names[hostname];
    if (!addresses)
      return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
  return Object.assign(resolve, { asked });
}

describe('guardedFetch: only addresses the policy allows are reached, after every lookup and every redirect', () => {
  let inside: Recorder;
  let site: Recorder;

  beforeAll(async () => {
    inside = await new Recorder((_req, res) => res.end('internal secrets')).start('127.0.0.1');
    site = await new Recorder((req, res) => {
      if (req.url === '/to-inside') res.writeHead(302, { location: `http://127.0.0.1:${inside.port}/admin` }).end();
      else if (req.url === '/to-inside-by-name')
        res.writeHead(301, { location: `http://intranet.test:${inside.port}/admin` }).end();
      else if (req.url === '/to-metadata')
        res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      else if (req.url === '/to-feed') res.writeHead(308, { location: '/feed.xml' }).end();
      else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else if (req.url === '/gzip') {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
        res.end(gzipSync('<rss>сжатая лента</rss>'));
      } else res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end('<rss>лента</rss>');
    }).start(SITE_ADDRESS);
  });

  afterAll(async () => {
    await inside.stop();
    await site.stop();
  });

  const siteUrl = (path: string) => `http://${SITE_ADDRESS}:${site.port}${path}`;

  it('an allowed address answers as fetch would: status, headers, body (decompressed)', async () => {
    const fetch = guardedFetch({ policy: ONLY_THE_SITE });
    const response = await fetch(siteUrl('/feed.xml'));
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"v1"');
    expect(await response.text()).toBe('<rss>лента</rss>');
    expect(await (await fetch(siteUrl('/gzip'))).text()).toBe('<rss>сжатая лента</rss>');
  });

  it('a literal loopback address is refused before any connection, in every spelling', async () => {
    const fetch = guardedFetch({ policy: ONLY_THE_SITE });
    for (const url of [
      `http://127.0.0.1:${inside.port}/`,
      `http://2130706433:${inside.port}/`,
      `http://0177.0.0.1:${inside.port}/`,
      `http://0x7f.1:${inside.port}/`,
      `http://[::ffff:127.0.0.1]:${inside.port}/`,
    ]) {
      await expect(fetch(url)).rejects.toThrow(EgressRefusedError);
    }
    expect(inside.paths).toEqual([]);
  });

  it('a name is checked by what it resolves to, and the connection goes to the address that was checked', async () => {
    const resolve = resolverOf({
      'intranet.test': ['127.0.0.1'],
      'mixed.test': [SITE_ADDRESS, '10.0.0.5'],
      'site.test': [SITE_ADDRESS],
    });
    const fetch = guardedFetch({ policy: ONLY_THE_SITE, resolve });
    await expect(fetch(`http://intranet.test:${inside.port}/`)).rejects.toThrow(
      'intranet.test resolves to 127.0.0.1, a loopback address',
    );
    // One private address among allowed ones is enough to refuse the name.
    await expect(fetch(`http://mixed.test:${site.port}/feed.xml`)).rejects.toThrow(
      'mixed.test resolves to 10.0.0.5, a private address',
    );
    // site.test exists only in the test's resolver: reaching the site proves the socket used that answer.
    expect(await (await fetch(`http://site.test:${site.port}/feed.xml`)).text()).toBe('<rss>лента</rss>');
    expect(inside.paths).toEqual([]);
  });

  it('a real name that the system resolves to loopback (localhost) is refused at connection time', async () => {
    await expect(guardedFetch({ policy: ONLY_THE_SITE })(`http://localhost:${inside.port}/`)).rejects.toThrow(
      /^localhost resolves to (127\.0\.0\.1|::1), a loopback address$/,
    );
    expect(inside.paths).toEqual([]);
  });

  it('DNS rebinding: a name that resolved to a public address when it was saved is refused when it resolves inside at fetch time', async () => {
    const names: Record<string, string[]> = { 'rebind.test': ['93.184.216.34'] };
    const resolve = resolverOf(names);
    expect(await resolvedRefusal(new URL('http://rebind.test/feed'), ONLY_THE_SITE, resolve)).toBeNull();
    names['rebind.test'] = ['127.0.0.1'];
    await expect(
      guardedFetch({ policy: ONLY_THE_SITE, resolve })(`http://rebind.test:${inside.port}/feed`),
    ).rejects.toThrow(EgressRefusedError);
    expect(inside.paths).toEqual([]);
  });

  it('every redirect hop is checked: to a loopback literal, to a name resolving inside, to cloud metadata', async () => {
    const fetch = guardedFetch({ policy: ONLY_THE_SITE, resolve: resolverOf({ 'intranet.test': ['127.0.0.1'] }) });
    await expect(fetch(siteUrl('/to-inside'))).rejects.toThrow('127.0.0.1 is a loopback address');
    await expect(fetch(siteUrl('/to-inside-by-name'))).rejects.toThrow('intranet.test resolves to 127.0.0.1');
    await expect(fetch(siteUrl('/to-metadata'))).rejects.toThrow('169.254.169.254 is a link-local address');
    expect(inside.paths).toEqual([]);
    // A redirect within what is allowed is followed; an endless one is not.
    expect(await (await fetch(siteUrl('/to-feed'))).text()).toBe('<rss>лента</rss>');
    await expect(fetch(siteUrl('/loop'))).rejects.toThrow('more than 5 redirects');
  });

  it('with allowPrivate the inside is reachable (development and tests), redirects included', async () => {
    const fetch = guardedFetch({ policy: { allowPrivate: true } });
    expect(await (await fetch(siteUrl('/to-inside'))).text()).toBe('internal secrets');
    expect(inside.paths).toEqual(['/admin']);
    inside.paths.length = 0;
  });

  it('only GET and HEAD, and only http(s)', async () => {
    const fetch = guardedFetch({ policy: { allowPrivate: true } });
    await expect(fetch(siteUrl('/feed.xml'), { method: 'POST', body: 'x' })).rejects.toThrow(TypeError);
    expect(urlRefusal(new URL('file:///etc/passwd'), { allowPrivate: true })).toBe('file: is not http or https');
    await expect(fetch('ftp://example.org/feed')).rejects.toThrow('ftp: is not http or https');
  });

  it('the lookup hands the connection every checked address when asked for all (Happy Eyeballs)', async () => {
    const lookup = guardedLookup(ONLY_THE_SITE, resolverOf({ 'site.test': [SITE_ADDRESS] }));
    const all = await new Promise((resolve, reject) =>
      lookup('site.test', { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
    );
    expect(all).toEqual([{ address: SITE_ADDRESS, family: 4 }]);
  });
});
