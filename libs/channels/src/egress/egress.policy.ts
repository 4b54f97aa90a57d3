import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookupAll } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { addressRefusal, nonPublicKind } from './public-address';

/**
 * Where Otklik may send a request whose URL a user gave (a feed's address, a draft's file): the
 * public internet only, unless the operator allows the private network too. docs/security.md, B8.
 */
export interface EgressPolicy {
  /** Private, loopback, link-local… addresses allowed as well (development, tests, an intranet site). */
  allowPrivate: boolean;
  /** Single addresses allowed though not public, written as DNS gives them (`10.0.0.7`, `::1`). */
  allowedAddresses?: readonly string[];
}

export const PUBLIC_ONLY: EgressPolicy = { allowPrivate: false };

/** A request refused by the policy before anything was sent; `message` says which address and why. */
export class EgressRefusedError extends Error {
  override readonly name = 'EgressRefusedError';
}

/** Every address a name resolves to, as the connection would look it up (getaddrinfo: /etc/hosts, then DNS). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookupAll(hostname, { all: true, verbatim: true });

const hostOf = (url: URL): string => url.hostname.replace(/\.$/, '').toLowerCase();
const isLiteral = (host: string): boolean => /^\[.*\]$/.test(host) || /^[\d.]+$/.test(host);

/**
 * What is wrong with `url` on its face, or null: not http(s), or a literal address that is not
 * public (the WHATWG parser has already turned `http://2130706433/` and `http://0177.0.0.1/`
 * into `127.0.0.1`). A name — `localhost` too — is judged by what it resolves to:
 * `resolvedRefusal`, and again as the connection is made (`guardedLookup`).
 */
export function urlRefusal(url: URL, policy: EgressPolicy): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol} is not http or https`;
  if (policy.allowPrivate) return null;
  const host = hostOf(url);
  if (!isLiteral(host)) return null;
  const address = host.replace(/^\[(.*)\]$/, '$1');
  return policy.allowedAddresses?.includes(address) ? null : addressRefusal(address);
}

/**
 * `urlRefusal`, then the name resolved and every address it gives checked (a name with one
 * private address among public ones is refused: which one a connection takes is not ours to
 * choose). A name that does not resolve, or not within `timeoutMs`, is not refused here: the
 * fetch checks again and fails on its own.
 */
export async function resolvedRefusal(
  url: URL,
  policy: EgressPolicy,
  resolve: Resolver = systemResolver,
  timeoutMs = 3_000,
): Promise<string | null> {
  const refusal = urlRefusal(url, policy);
  if (refusal || policy.allowPrivate || isLiteral(hostOf(url))) return refusal;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout(null), timeoutMs);
  });
  try {
    const addresses = await Promise.race([resolve(hostOf(url)).catch(() => null), timeout]);
    return addresses ? refusalOfAddresses(hostOf(url), addresses, policy) : null;
  } finally {
    clearTimeout(timer);
  }
}

function refusalOfAddresses(host: string, addresses: readonly LookupAddress[], policy: EgressPolicy): string | null {
  for (const { address } of addresses) {
    if (policy.allowedAddresses?.includes(address)) continue;
    const kind = nonPublicKind(address);
    if (kind) return `${host} resolves to ${address}, ${kind}`;
  }
  return null;
}

/**
 * A `lookup` for node:net and node:tls that resolves the name, checks every address and hands
 * the connection only checked ones: the socket connects to exactly what was checked, so a DNS
 * answer that changes between a check and the connection (rebinding) changes nothing.
 */
export function guardedLookup(policy: EgressPolicy, resolve: Resolver = systemResolver): LookupFunction {
  const lookup = (hostname: string, options: { family?: number | string; all?: boolean }, callback: LookupCallback) => {
    resolve(hostname)
      .then((all) => {
        const wanted =
          options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        const refusal = refusalOfAddresses(hostname, all, policy);
        if (refusal) throw new EgressRefusedError(refusal);
        if (wanted.length === 0)
          throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0].address, wanted[0].family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
  };
  // @types/node types only the `all: true` form; net and tls call both (dns.lookup's contract).
  return lookup as unknown as LookupFunction;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
