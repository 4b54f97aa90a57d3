import { isIP } from 'node:net';

// By hand rather than from npm: the classification is a table of some twenty prefixes, and the
// libraries that carry one (request-filtering-agent, ssrf-req-filter) wrap node:http agents or
// axios, not the fetch our callers use; node:net's BlockList does not look inside IPv4-mapped,
// NAT64 or 6to4 addresses, which an attacker would use to dress a private address as IPv6.

/** Why an address is not one Otklik may call on a user's say-so; `public` is the only allowed class. */
export type AddressClass =
  'public' | 'loopback' | 'private' | 'link-local' | 'shared (CGNAT)' | 'unspecified' | 'multicast' | 'reserved';

/** Words for a refusal: "127.0.0.1 is a loopback address". */
const DESCRIBED: Readonly<Record<Exclude<AddressClass, 'public'>, string>> = {
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address (cloud metadata lives there)',
  'shared (CGNAT)': 'a carrier-grade NAT address (100.64.0.0/10)',
  unspecified: 'the unspecified address',
  multicast: 'a multicast address',
  reserved: 'a reserved or documentation address',
};

type V4Rule = [network: string, bits: number, verdict: Exclude<AddressClass, 'public'>];

/** IANA's IPv4 special-purpose registry, as far as it matters for an outgoing request. */
const V4_RULES: readonly V4Rule[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

type V6Rule = [network: string, bits: number, verdict: Exclude<AddressClass, 'public'> | 'embedded-v4'];

/**
 * IPv6 special-purpose prefixes. `embedded-v4`: the last 32 bits (or bits 16–48 for 6to4) are an
 * IPv4 address that the packet reaches in the end, so that address is what is judged.
 */
const V6_RULES: readonly V6Rule[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::ffff:0:0', 96, 'embedded-v4'], // IPv4-mapped
  ['::', 96, 'embedded-v4'], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96, 'embedded-v4'], // NAT64, well-known prefix
  ['64:ff9b:1::', 48, 'private'], // NAT64, local use
  ['100::', 64, 'reserved'], // discard-only
  ['2001::', 23, 'reserved'], // IETF protocol assignments, Teredo
  ['2001:db8::', 32, 'reserved'], // documentation
  ['2002::', 16, 'embedded-v4'], // 6to4
  ['fc00::', 7, 'private'], // unique local
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'], // site-local (deprecated)
  ['ff00::', 8, 'multicast'],
  ['::', 8, 'reserved'], // the rest of ::/8 is unassigned
];

function v4ToNumber(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** The 128 bits of an IPv6 address (any form Node's isIP accepts, with a dotted tail or a zone). */
function v6ToBigInt(address: string): bigint {
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4ToNumber(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.reduce((n, group) => (n << 16n) | BigInt(parseInt(group, 16)), 0n);
}

const V4_NETWORKS = V4_RULES.map(([network, bits, verdict]) => ({ start: v4ToNumber(network), bits, verdict }));
const V6_NETWORKS = V6_RULES.map(([network, bits, verdict]) => ({ start: v6ToBigInt(network), bits, verdict }));

function classifyV4(n: number): AddressClass {
  for (const { start, bits, verdict } of V4_NETWORKS) {
    const size = 2 ** (32 - bits);
    if (Math.floor(n / size) === Math.floor(start / size)) return verdict;
  }
  return 'public';
}

function classifyV6(n: bigint): AddressClass {
  for (const { start, bits, verdict } of V6_NETWORKS) {
    const shift = BigInt(128 - bits);
    if (n >> shift !== start >> shift) continue;
    if (verdict !== 'embedded-v4') return verdict;
    // 6to4 carries the IPv4 address in bits 16–48; the others in the last 32.
    const v4 = bits === 16 ? (n >> 80n) & 0xffffffffn : n & 0xffffffffn;
    return classifyV4(Number(v4));
  }
  return 'public';
}

/**
 * What kind of address `address` is (a literal IPv4 or IPv6 address, as DNS or a URL gives it;
 * IPv6 may come in brackets). Anything that is not an IP address at all is `reserved`: a caller
 * that asks about a name has a bug, and failing closed is the safe side of it.
 */
export function classifyAddress(address: string): AddressClass {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const version = isIP(bare.replace(/%.*$/, ''));
  if (version === 4) return classifyV4(v4ToNumber(bare));
  if (version === 6) return classifyV6(v6ToBigInt(bare));
  return 'reserved';
}

/** "a loopback address", or null when the address is public. */
export function nonPublicKind(address: string): string | null {
  const verdict = classifyAddress(address);
  return verdict === 'public' ? null : DESCRIBED[verdict];
}

/** "127.0.0.1 is a loopback address", or null when the address is public. */
export function addressRefusal(address: string): string | null {
  const kind = nonPublicKind(address);
  return kind === null ? null : `${address} is ${kind}`;
}
