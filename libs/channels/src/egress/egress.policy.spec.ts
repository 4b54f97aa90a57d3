import type { LookupAddress } from 'node:dns';
import { PUBLIC_ONLY, resolvedRefusal, urlRefusal } from './egress.policy';

// What a URL that a user gives may point at (docs/security.md, B8), judged on its face and by
// what its name resolves to. Names resolve through a stand-in resolver: no network here.

const refusalOf = (url: string) => urlRefusal(new URL(url), PUBLIC_ONLY);

describe('urlRefusal: the URL on its face', () => {
  it.each([
    ['http://127.0.0.1/feed', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://0x7f000001/', '127.0.0.1 is a loopback address'],
    ['http://127.1/', '127.0.0.1 is a loopback address'],
    ['http://[::1]:8080/', '::1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 is a loopback address'],
    [
      'http://169.254.169.254/latest/meta-data/',
      '169.254.169.254 is a link-local address (cloud metadata lives there)',
    ],
    ['http://[fe80::1]/', 'fe80::1 is a link-local address (cloud metadata lives there)'],
    ['https://10.0.0.8/rss', '10.0.0.8 is a private address'],
    ['http://[fd00::8]/rss', 'fd00::8 is a private address'],
    ['http://100.100.100.200/', '100.100.100.200 is a carrier-grade NAT address (100.64.0.0/10)'],
    ['http://0.0.0.0:4001/', '0.0.0.0 is the unspecified address'],
    ['http://224.0.0.251/', '224.0.0.251 is a multicast address'],
    ['file:///etc/passwd', 'file: is not http or https'],
    ['gopher://example.org/', 'gopher: is not http or https'],
  ])('%s is refused: %s', (url, problem) => {
    expect(refusalOf(url)).toBe(problem);
  });

  it.each(['https://kalmanka.example/news.rss', 'http://93.184.216.34/feed', 'https://[2a00:1450:4010:c05::8b]/'])(
    '%s is not refused on its face',
    (url) => {
      expect(refusalOf(url)).toBeNull();
    },
  );

  it('allowPrivate lets the private network through, never another scheme', () => {
    expect(urlRefusal(new URL('http://127.0.0.1:4001/'), { allowPrivate: true })).toBeNull();
    expect(urlRefusal(new URL('ftp://127.0.0.1/'), { allowPrivate: true })).toBe('ftp: is not http or https');
  });

  it('a single allowed address is let through, and only that one', () => {
    const policy = { allowPrivate: false, allowedAddresses: ['10.0.0.7', '::1'] };
    expect(urlRefusal(new URL('http://10.0.0.7/'), policy)).toBeNull();
    expect(urlRefusal(new URL('http://[::1]/'), policy)).toBeNull();
    expect(urlRefusal(new URL('http://10.0.0.8/'), policy)).toBe('10.0.0.8 is a private address');
  });
});

describe('resolvedRefusal: a name, by every address it resolves to', () => {
  const resolver = (addresses: string[] | Error) => (): Promise<LookupAddress[]> =>
    addresses instanceof Error
      ? Promise.reject(addresses)
      : Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

  it('a name that resolves inside is refused, naming the address', async () => {
    const url = new URL('http://metadata.google.internal/computeMetadata/v1/');
    expect(await resolvedRefusal(url, PUBLIC_ONLY, resolver(['169.254.169.254']))).toBe(
      'metadata.google.internal resolves to 169.254.169.254, a link-local address (cloud metadata lives there)',
    );
  });

  it('one inside address among public ones is enough', async () => {
    const url = new URL('https://news.example/rss');
    expect(await resolvedRefusal(url, PUBLIC_ONLY, resolver(['93.184.216.34', '::ffff:10.1.1.1']))).toBe(
      'news.example resolves to ::ffff:10.1.1.1, a private address',
    );
  });

  it('a name with public addresses only, or one that does not resolve now, is not refused', async () => {
    const url = new URL('https://news.example/rss');
    expect(await resolvedRefusal(url, PUBLIC_ONLY, resolver(['93.184.216.34', '2606:2800:220:1::']))).toBeNull();
    expect(await resolvedRefusal(url, PUBLIC_ONLY, resolver(new Error('ENOTFOUND')))).toBeNull();
  });

  it('a literal address is judged without asking DNS', async () => {
    const never = () => Promise.reject(new Error('DNS asked'));
    expect(await resolvedRefusal(new URL('http://2130706433/'), PUBLIC_ONLY, never)).toBe(
      '127.0.0.1 is a loopback address',
    );
    expect(await resolvedRefusal(new URL('http://93.184.216.34/'), PUBLIC_ONLY, never)).toBeNull();
  });
});
