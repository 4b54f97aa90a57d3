/**
 * The staff access list: what workflow announces when a person's access changes, and what every
 * gateway replica keeps to refuse revoked tokens and to drop what it cached of the person. It
 * lives in a NATS KV bucket (staff-access.bucket.ts); this file is the framework-free part.
 *
 * Keys (KV keys are subject tokens, so ids and logins are base64url-encoded):
 * - `login.<login>` — LoginAccess: the person's access changed at `at`; with `notBefore`, every
 *   token of theirs issued at or before it is refused (sessions revoked, signed out).
 * - `session.<id>` — SessionRevocation: the one token (`jti`) or sign-in session (`sid`) is refused.
 */

/** Epoch seconds, as in a JWT. */
export type EpochSeconds = number;

export interface LoginAccess {
  /** Tokens of the login issued at or before this are refused; absent: only "access changed" (roles). */
  notBefore?: EpochSeconds;
  /** Why the latest change was made, for the log. */
  reason: string;
  /** When the latest change was written. */
  at: EpochSeconds;
}

export interface SessionRevocation {
  reason: string;
  at: EpochSeconds;
}

export type StaffAccessEntry =
  | { kind: 'login'; login: string; access: LoginAccess }
  | { kind: 'session'; id: string; revocation: SessionRevocation };

/** The token as the access list needs it (a VerifiedJwt). */
export interface TokenIdentity {
  login: string;
  issuedAt: Date;
  tokenId?: string;
  sessionId?: string;
}

/** The bucket of an installation: beside its streams (`<EVENTS_PREFIX>_EVENTS`), named by the same prefix. */
export const staffAccessBucket = (eventsPrefix: string): string => `${eventsPrefix}-staff-access`;

const LOGIN = 'login.';
const SESSION = 'session.';
const encode = (value: string) => Buffer.from(value, 'utf8').toString('base64url');
const decode = (value: string) => Buffer.from(value, 'base64url').toString('utf8');

export const loginKey = (login: string): string => `${LOGIN}${encode(login)}`;
export const sessionKey = (id: string): string => `${SESSION}${encode(id)}`;

export const epochSeconds = (date: Date): EpochSeconds => Math.floor(date.getTime() / 1000);

const isEpoch = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Reads a KV entry; throws naming what is wrong (a gateway logs and skips it). */
export function parseStaffAccessEntry(key: string, value: unknown): StaffAccessEntry {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null) throw new Error(`staff access entry ${key}: not an object`);
  if (!isEpoch(v.at)) throw new Error(`staff access entry ${key}: "at" must be epoch seconds`);
  const reason = typeof v.reason === 'string' ? v.reason : '';
  if (key.startsWith(LOGIN) && key.length > LOGIN.length) {
    if (v.notBefore !== undefined && !isEpoch(v.notBefore))
      throw new Error(`staff access entry ${key}: "notBefore" must be epoch seconds`);
    const access: LoginAccess = { reason, at: v.at, ...(v.notBefore !== undefined ? { notBefore: v.notBefore } : {}) };
    return { kind: 'login', login: decode(key.slice(LOGIN.length)), access };
  }
  if (key.startsWith(SESSION) && key.length > SESSION.length)
    return { kind: 'session', id: decode(key.slice(SESSION.length)), revocation: { reason, at: v.at } };
  throw new Error(`staff access entry ${key}: not a login.* or session.* key`);
}

/**
 * The login's entry after a change: the latest reason and time, and the later of the two
 * `notBefore`s, so an "access changed" written after a revocation does not lift it.
 */
export function mergeLoginAccess(previous: LoginAccess | null, change: LoginAccess): LoginAccess {
  const notBefore = Math.max(previous?.notBefore ?? -1, change.notBefore ?? -1);
  return { reason: change.reason, at: change.at, ...(notBefore >= 0 ? { notBefore } : {}) };
}

/**
 * The access list as one gateway replica knows it. An entry matters only while a token it
 * refuses could still be valid (issued before it, living at most the maximum lifetime plus the
 * clock tolerance): the bucket drops entries after that, and so does `prune` here (a bucket's
 * expiry is not announced to watchers).
 */
export class StaffAccessList {
  private readonly logins = new Map<string, LoginAccess>();
  private readonly sessions = new Map<string, SessionRevocation>();

  constructor(
    /** Maximum token lifetime plus clock tolerance, in seconds: the bucket's max age. */
    private readonly retentionSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds or replaces an entry; false when the list held it already (a watch started again replays the bucket). */
  apply(entry: StaffAccessEntry): boolean {
    if (entry.kind === 'login') {
      const known = this.logins.get(entry.login);
      this.logins.set(entry.login, entry.access);
      return !known || known.at !== entry.access.at || known.notBefore !== entry.access.notBefore;
    }
    const known = this.sessions.get(entry.id);
    this.sessions.set(entry.id, entry.revocation);
    return !known || known.at !== entry.revocation.at;
  }

  /** A key deleted or purged from the bucket (by hand: workflow never deletes). */
  remove(key: string): void {
    if (key.startsWith(LOGIN)) this.logins.delete(decode(key.slice(LOGIN.length)));
    else if (key.startsWith(SESSION)) this.sessions.delete(decode(key.slice(SESSION.length)));
  }

  /** Why the token is refused, or null when it is not revoked. */
  revocationOf(token: TokenIdentity): string | null {
    const access = this.logins.get(token.login);
    if (access?.notBefore !== undefined && epochSeconds(token.issuedAt) <= access.notBefore) return 'session revoked';
    for (const id of [token.tokenId, token.sessionId]) {
      if (id !== undefined && this.sessions.has(id)) return 'session revoked';
    }
    return null;
  }

  /** Drops entries older than the retention (no token they could refuse is still valid). */
  prune(): void {
    const oldest = this.now() / 1000 - this.retentionSeconds;
    for (const [login, access] of this.logins) if (access.at < oldest) this.logins.delete(login);
    for (const [id, revocation] of this.sessions) if (revocation.at < oldest) this.sessions.delete(id);
  }

  get size(): number {
    return this.logins.size + this.sessions.size;
  }
}
