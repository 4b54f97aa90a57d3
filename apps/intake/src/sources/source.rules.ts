import { randomInt } from 'node:crypto';
import type { Viewer } from '@otklik/auth';
import { PLATFORMS, Platform, Role } from '@otklik/contracts';
import { SourceKind, SOURCE_KINDS } from './source.entity';
import { SourceException } from './source.exception';

/** The same pattern as the table's check constraint: a source id is also a URL path segment. */
export const SOURCE_ID = /^[a-z0-9][a-z0-9_-]{0,99}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The path segment of each kind's webhook (`/webhooks/{path}/{sourceId}`); null: no webhook reaches it. */
export const WEBHOOK_PATHS: Readonly<Record<SourceKind, string | null>> = {
  GENERIC_WEBHOOK: 'generic',
  VK_CALLBACK: 'vk',
  TELEGRAM_BOT: 'telegram',
  MAX_BOT: 'max',
  OK_BOT: 'ok',
  META_WEBHOOK: 'meta',
  X_ACTIVITY: 'x',
  MANUAL: null,
  FEED: null,
  IMPORT: null,
};

export const takesWebhook = (kind: SourceKind): boolean => WEBHOOK_PATHS[kind] !== null;

/** Where the platform posts to this source; a path alone without INTAKE_PUBLIC_URL. */
export function webhookUrl(publicUrl: string | null, kind: SourceKind, id: string): string | null {
  const path = WEBHOOK_PATHS[kind];
  return path === null ? null : `${publicUrl ?? ''}/webhooks/${path}/${id}`;
}

/** The platforms a kind of source can carry; 'any' for channels that say the platform per message. */
const PLATFORMS_OF_KIND: Readonly<Record<SourceKind, readonly Platform[] | 'any'>> = {
  GENERIC_WEBHOOK: 'any',
  VK_CALLBACK: ['VK'],
  TELEGRAM_BOT: ['TELEGRAM'],
  MAX_BOT: ['MAX'],
  OK_BOT: ['OK'],
  META_WEBHOOK: ['FACEBOOK', 'INSTAGRAM'],
  X_ACTIVITY: ['TWITTER'],
  FEED: ['WEBSITE', 'OTHER'],
  IMPORT: 'any',
  MANUAL: ['OTHER'],
};

/** Kinds the official site does not list: they are not accounts a citizen can visit. */
export const NOT_PUBLIC_KINDS: readonly SourceKind[] = ['MANUAL', 'IMPORT', 'GENERIC_WEBHOOK'];

/**
 * What each kind's webhook secret may look like. VK's secret key is letters and digits, up to 50;
 * Telegram's secret_token and MAX's secret are 1–256 of A–Z a–z 0–9 _ -; OK's goes in the URL.
 * Meta's app secret and X's consumer secret are issued by the platform, so they are given, not made.
 */
const SECRET_SHAPES: Partial<Record<SourceKind, { pattern: RegExp; says: string }>> = {
  VK_CALLBACK: { pattern: /^[A-Za-z0-9]{16,50}$/, says: '16–50 letters and digits (VK’s rule for a secret key)' },
  TELEGRAM_BOT: { pattern: /^[A-Za-z0-9_-]{16,256}$/, says: '16–256 of A–Z, a–z, 0–9, _ and - (Telegram’s rule)' },
  MAX_BOT: { pattern: /^[A-Za-z0-9_-]{16,256}$/, says: '16–256 of A–Z, a–z, 0–9, _ and - (MAX’s rule)' },
  OK_BOT: { pattern: /^[A-Za-z0-9_-]{16,256}$/, says: '16–256 of A–Z, a–z, 0–9, _ and - (it goes in the URL)' },
};
const ANY_SECRET = { pattern: /^[\x21-\x7e]{16,256}$/, says: '16–256 printable ASCII characters without spaces' };
const GIVEN_BY_PLATFORM: readonly SourceKind[] = ['META_WEBHOOK', 'X_ACTIVITY'];

const GENERATED_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 40 letters and digits (238 bits): within every platform's rule above. */
const GENERATED_LENGTH = 40;

export function generateSecret(): string {
  let secret = '';
  for (let i = 0; i < GENERATED_LENGTH; i++) secret += GENERATED_ALPHABET[randomInt(GENERATED_ALPHABET.length)];
  return secret;
}

export const MAX_OVERLAP_HOURS = 168;
export const DEFAULT_OVERLAP_HOURS = 24;
export const MAX_NAME = 200;
const MAX_SETTINGS_JSON = 8_000;
const MAX_CREDENTIALS = 20;
const MAX_CREDENTIAL_VALUE = 4_096;
const NAME_OF_SETTING = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** A setting by one of these names is a secret in the wrong place: it belongs in the credentials. */
const SECRET_LOOKING = /token|secret|password|passwd|api_?key|private_?key/i;

const bad = (field: string, problem: string) => SourceException.badInput(field, problem);

export function checkOrganizationId(organizationId: string): void {
  if (!UUID.test(organizationId)) throw bad('organizationId', `must be an organisation id (a UUID)`);
}

export function checkSourceId(id: string): void {
  if (!SOURCE_ID.test(id)) {
    throw bad('id', 'must be 1–100 lower-case letters, digits, _ or -, starting with a letter or digit');
  }
}

export function checkKind(kind: string, platform: string): asserts kind is SourceKind {
  if (!(SOURCE_KINDS as readonly string[]).includes(kind))
    throw bad('kind', `must be one of ${SOURCE_KINDS.join(', ')}`);
  if (!(PLATFORMS as readonly string[]).includes(platform))
    throw bad('platform', `must be one of ${PLATFORMS.join(', ')}`);
  if (kind === 'MANUAL') throw bad('kind', 'MANUAL sources are made by registerMessage, one per organisation');
  const allowed = PLATFORMS_OF_KIND[kind as SourceKind];
  if (allowed !== 'any' && !allowed.includes(platform as Platform)) {
    throw bad('platform', `a ${kind} source carries ${allowed.join(' or ')}, not ${platform}`);
  }
}

export function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw bad('name', 'is required: what officials call this account or channel');
  if (trimmed.length > MAX_NAME) throw bad('name', `is ${trimmed.length} characters; at most ${MAX_NAME}`);
  return trimmed;
}

/** The webhook secret to store: the one given (checked against the platform's rule) or a new one. */
export function secretFor(kind: SourceKind, given: string | null | undefined): string | null {
  if (!takesWebhook(kind)) {
    if (given) throw bad('secret', `a ${kind} source takes no webhook, so it has no secret`);
    return null;
  }
  if (given === null || given === undefined || given === '') {
    if (GIVEN_BY_PLATFORM.includes(kind)) {
      throw bad(
        'secret',
        `is required for ${kind}: the platform issues it (Meta's app secret, X's consumer secret), so it cannot be made here`,
      );
    }
    return generateSecret();
  }
  const shape = SECRET_SHAPES[kind] ?? ANY_SECRET;
  if (!shape.pattern.test(given)) throw bad('secret', `must be ${shape.says}`);
  return given;
}

export function checkOverlapHours(hours: number | null | undefined): number {
  const value = hours ?? DEFAULT_OVERLAP_HOURS;
  if (!Number.isInteger(value) || value < 0 || value > MAX_OVERLAP_HOURS) {
    throw bad('overlapHours', `must be a whole number of hours from 0 to ${MAX_OVERLAP_HOURS}`);
  }
  return value;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function httpUrl(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length > 2_000) throw bad(field, 'must be an http(s) address');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad(field, 'must be an http(s) address');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad(field, 'must be an http(s) address');
}

/**
 * A kind's settings: a JSON object of what is not secret, with what the kind needs (VK: groupId
 * and confirmation; FEED: url). `publicUrl` is the page the official site links to.
 */
export function checkSettings(kind: SourceKind, settings: unknown): Record<string, unknown> {
  if (!isPlainObject(settings)) throw bad('settings', 'must be a JSON object');
  if (JSON.stringify(settings).length > MAX_SETTINGS_JSON) {
    throw bad('settings', `is longer than ${MAX_SETTINGS_JSON} characters as JSON`);
  }
  for (const key of Object.keys(settings)) {
    if (!NAME_OF_SETTING.test(key))
      throw bad(`settings.${key.slice(0, 64)}`, 'is not a setting name (letters, digits, _)');
    if (SECRET_LOOKING.test(key)) {
      throw bad(`settings.${key}`, 'looks like a secret: set it with setSourceCredentials, which stores it encrypted');
    }
  }
  if (settings.publicUrl !== undefined) httpUrl('settings.publicUrl', settings.publicUrl);
  if (settings.restrictedPlatformAllowed !== undefined && typeof settings.restrictedPlatformAllowed !== 'boolean') {
    throw bad('settings.restrictedPlatformAllowed', 'must be true or false');
  }
  if (kind === 'VK_CALLBACK') {
    const groupId = settings.groupId;
    if (typeof groupId !== 'number' || !Number.isSafeInteger(groupId) || groupId <= 0) {
      throw bad('settings.groupId', 'is required for VK_CALLBACK: the community’s id, a positive number');
    }
    const confirmation = settings.confirmation;
    if (typeof confirmation !== 'string' || confirmation.trim() === '' || confirmation.length > 100) {
      throw bad(
        'settings.confirmation',
        'is required for VK_CALLBACK: the string VK’s confirmation request expects (Working with API → Callback API)',
      );
    }
  }
  if (kind === 'FEED') {
    if (settings.url === undefined) throw bad('settings.url', 'is required for FEED: the feed’s or page’s address');
    httpUrl('settings.url', settings.url);
  }
  return settings;
}

/**
 * Credentials after a change: each given name set to its value, or removed when the value is
 * null or empty. Values are secrets; only names appear in errors.
 */
export function mergeCredentials(
  current: Record<string, string>,
  changes: ReadonlyArray<{ name: string; value?: string | null }>,
): { credentials: Record<string, string>; set: string[]; removed: string[] } {
  const credentials = { ...current };
  const set: string[] = [];
  const removed: string[] = [];
  const seen = new Set<string>();
  for (const { name, value } of changes) {
    if (!NAME_OF_SETTING.test(name))
      throw bad('credentials.name', `"${name.slice(0, 64)}" is not a name (letters, digits, _)`);
    if (seen.has(name)) throw bad('credentials.name', `"${name}" is given twice`);
    seen.add(name);
    if (value === null || value === undefined || value === '') {
      if (name in credentials) removed.push(name);
      delete credentials[name];
      continue;
    }
    if (value.length > MAX_CREDENTIAL_VALUE) {
      throw bad(`credentials.${name}`, `is longer than ${MAX_CREDENTIAL_VALUE} characters`);
    }
    credentials[name] = value;
    set.push(name);
  }
  if (Object.keys(credentials).length > MAX_CREDENTIALS) {
    throw bad('credentials', `a source keeps at most ${MAX_CREDENTIALS} credentials`);
  }
  return { credentials, set: set.sort(), removed: removed.sort() };
}

/** The roles that manage an organisation's sources (cl. 3: its official accounts). */
export const SOURCE_MANAGER_ROLES: readonly Role[] = ['OFFICIAL', 'COORDINATOR'];

export type SourceAccess = 'MANAGE' | 'NOT_VISIBLE' | 'FORBIDDEN';

/**
 * Whether the viewer manages `organizationId`'s sources: OFFICIAL or COORDINATOR there or in an
 * organisation above it. Intake does not hold the organisation tree; it knows the viewer's roles
 * and the organisations they see (their roles' organisations and everything below). A managing
 * role in the organisation itself decides at once. Otherwise the organisation is below one of the
 * viewer's organisations; when every one of those holds a managing role, it is below a managing
 * role. A viewer who also holds another role elsewhere cannot be told apart from one whose other
 * role alone reaches it, so they are refused (never the reverse) and manage such sources from an
 * organisation where they hold the role.
 */
export function sourceAccess(viewer: Viewer, organizationId: string): SourceAccess {
  if (!viewer.visibleOrganizationIds.includes(organizationId)) return 'NOT_VISIBLE';
  const managing = new Set(
    viewer.roles.filter((r) => SOURCE_MANAGER_ROLES.includes(r.role)).map((r) => r.organizationId),
  );
  if (managing.has(organizationId)) return 'MANAGE';
  if (managing.size > 0 && viewer.roles.every((r) => managing.has(r.organizationId))) return 'MANAGE';
  return 'FORBIDDEN';
}
