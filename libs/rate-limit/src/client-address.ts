import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key of a client's address for a per-address limit: an IPv4 address as it is (IPv4-mapped
 * IPv6 too), an IPv6 address by its /64 — one subscriber's network, where any client can take a
 * new address for each request. By hand: node:net tells the family but has no prefix arithmetic,
 * and it is a few lines.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(address)) return address;
  const plain = address.replace(/%.*$/, ''); // a zone (fe80::1%eth0) is local to the host
  if (!isIPv6(plain)) return address;
  const [head, tail] = plain.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  // An embedded IPv4 address at the end stands for two groups.
  const size = (list: string[]) => list.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const missing = 8 - size(left) - size(right);
  const full = tail === undefined ? left : [...left, ...Array<string>(missing).fill('0'), ...right];
  const prefix = full.slice(0, 4).map((g) => (g.includes('.') ? g : Number.parseInt(g, 16).toString(16)));
  return `${prefix.join(':')}::/64`;
}
