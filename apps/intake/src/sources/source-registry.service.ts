import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { Viewer } from '@otklik/auth';
import { resolvedRefusal } from '@otklik/channels';
import type { Platform } from '@otklik/contracts';
import { callContext, newCorrelationId, orgsScope } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { SourceAnnouncer } from './source.announcer';
import { SourceChangeAction, SourceChangeEntity } from './source-change.entity';
import { SourceEntity, SourceKind } from './source.entity';
import { SourceException } from './source.exception';
import { SourceChanges, SourceRepository } from './source.repository';
import {
  checkKind,
  checkName,
  checkOrganizationId,
  checkOverlapHours,
  checkSettings,
  checkSourceId,
  mergeCredentials,
  NOT_PUBLIC_KINDS,
  secretFor,
  sourceAccess,
  takesWebhook,
  WEBHOOK_PATHS,
} from './source.rules';
import { SourceSecrets } from './source.secrets';
import { SourceService } from './source.service';
import { SOURCES_CONFIG, SourcesConfig } from './sources.config';

export interface CredentialChange {
  name: string;
  /** null or empty: the credential is removed. */
  value?: string | null;
}

export interface NewSourceRequest {
  organizationId: string;
  id?: string | null;
  platform: string;
  kind: string;
  name: string;
  settings?: unknown;
  secret?: string | null;
  requireTimestamp?: boolean | null;
  enabled?: boolean | null;
  credentials?: CredentialChange[] | null;
}

export interface SourceUpdate {
  id: string;
  name?: string | null;
  settings?: unknown;
  enabled?: boolean | null;
  requireTimestamp?: boolean | null;
}

export interface SecretRotation {
  sourceId: string;
  secret?: string | null;
  overlapHours?: number | null;
}

/** A source just made or given a new secret: the secret is shown this once and never again. */
export interface SourceWithNewSecret {
  source: SourceEntity;
  newSecret: string | null;
}

export interface PublicSource {
  name: string;
  platform: Platform;
  url: string;
}

const HOUR_MS = 3_600_000;
/** The official site's list is read by every visitor; a minute-old list is fine (cl. 3). */
const PUBLIC_CACHE_TTL_MS = 60_000;

/**
 * The registry of each organisation's official accounts and channels (cl. 2–3): who may see and
 * change them, what a valid source is, secrets sealed before they are stored and shown only once,
 * and every change recorded (who, when, what — never a secret).
 */
@Injectable()
export class SourceRegistryService {
  private readonly publicCache = new LRUCache<string, PublicSource[]>({ max: 1_000, ttl: PUBLIC_CACHE_TTL_MS });

  constructor(
    private readonly uow: UnitOfWork,
    private readonly sources: SourceRepository,
    private readonly secrets: SourceSecrets,
    private readonly webhookSources: SourceService,
    private readonly announcer: SourceAnnouncer,
    @Inject(SOURCES_CONFIG) private readonly config: SourcesConfig,
  ) {}

  /** The sources of one organisation, or of every organisation whose sources the viewer manages. */
  list(viewer: Viewer, organizationId?: string | null): Promise<SourceEntity[]> {
    let organizations: string[];
    if (organizationId) {
      checkOrganizationId(organizationId);
      this.assertManages(viewer, organizationId, () => SourceException.organizationNotFound(organizationId));
      organizations = [organizationId];
    } else {
      organizations = viewer.visibleOrganizationIds.filter((id) => sourceAccess(viewer, id) === 'MANAGE');
    }
    return this.uow.run(() => this.sources.findByOrganizations(organizations));
  }

  /** A source the viewer manages; null when there is none they may see. */
  async get(viewer: Viewer, id: string): Promise<SourceEntity | null> {
    const row = await this.uow.run(() => this.sources.findById(id));
    if (!row || sourceAccess(viewer, row.organizationId) === 'NOT_VISIBLE') return null;
    this.assertManages(viewer, row.organizationId, () => SourceException.sourceNotFound(id));
    return row;
  }

  async create(viewer: Viewer, request: NewSourceRequest): Promise<SourceWithNewSecret> {
    checkOrganizationId(request.organizationId);
    this.assertManages(viewer, request.organizationId, () =>
      SourceException.organizationNotFound(request.organizationId),
    );
    checkKind(request.kind, request.platform);
    const kind: SourceKind = request.kind;
    const name = checkName(request.name);
    const settings = checkSettings(kind, request.settings ?? {});
    await this.checkFeedAddress(kind, settings);
    const id = request.id ?? newSourceId(kind);
    checkSourceId(id);
    const requireTimestamp = checkRequireTimestamp(kind, request.requireTimestamp ?? false);
    const secret = secretFor(kind, request.secret);
    const { credentials } = mergeCredentials({}, request.credentials ?? []);
    const enabled = request.enabled ?? true;
    return this.uow.run(async () => {
      const inserted = await this.sources.insert({
        id,
        organizationId: request.organizationId,
        platform: request.platform as Platform,
        kind,
        name,
        settings,
        enabled,
        requireTimestamp,
        secret,
        credentials,
      });
      if (!inserted) throw SourceException.idTaken(id);
      await this.record(viewer, id, request.organizationId, 'CREATED', {
        platform: request.platform,
        kind,
        name,
        settings,
        enabled,
        requireTimestamp,
        credentials: Object.keys(credentials).sort(),
        secretGiven: Boolean(request.secret),
      });
      const source = await this.reread(id);
      await this.announcer.announce(source);
      return { source, newSecret: secret };
    });
  }

  async update(viewer: Viewer, update: SourceUpdate): Promise<SourceEntity> {
    return this.uow.run(async () => {
      const row = await this.lockManaged(viewer, update.id);
      const after: SourceChanges = {};
      if (update.name !== undefined && update.name !== null) after.name = checkName(update.name);
      if (update.settings !== undefined && update.settings !== null) {
        after.settings = checkSettings(row.kind, update.settings);
        await this.checkFeedAddress(row.kind, after.settings);
      }
      if (update.enabled !== undefined && update.enabled !== null) after.enabled = update.enabled;
      if (update.requireTimestamp !== undefined && update.requireTimestamp !== null) {
        after.requireTimestamp = checkRequireTimestamp(row.kind, update.requireTimestamp);
      }
      const changed = Object.fromEntries(
        Object.entries(after)
          .filter(([field, value]) => stableJson(row[field as keyof SourceEntity]) !== stableJson(value))
          .map(([field, value]) => [field, { from: row[field as keyof SourceEntity], to: value }]),
      );
      if (Object.keys(changed).length === 0) return row;
      await this.sources.update(row.id, after);
      await this.record(viewer, row.id, row.organizationId, 'UPDATED', changed);
      this.forget(row);
      return this.rereadAndAnnounce(row.id);
    });
  }

  /**
   * A new webhook secret. The old one keeps working for the overlap (0–168 hours, 24 unless
   * given), so the platform can be given the new one without losing a delivery; with 0 it stops
   * at once (a leaked secret).
   */
  async rotateSecret(viewer: Viewer, rotation: SecretRotation): Promise<SourceWithNewSecret> {
    const overlapHours = checkOverlapHours(rotation.overlapHours);
    return this.uow.run(async () => {
      const row = await this.lockManaged(viewer, rotation.sourceId);
      if (!takesWebhook(row.kind)) {
        throw SourceException.badInput('sourceId', `names a ${row.kind} source, which has no webhook secret`);
      }
      const secret = secretFor(row.kind, rotation.secret) as string;
      const now = new Date();
      const keepPrevious = overlapHours > 0 && row.secretCiphertext !== null;
      const previousSecretUntil = keepPrevious ? new Date(now.getTime() + overlapHours * HOUR_MS) : null;
      await this.sources.update(row.id, {
        secretCiphertext: this.secrets.sealSecret(row.id, secret),
        // Same context for both columns: the sealed value moves without being opened.
        previousSecretCiphertext: keepPrevious ? row.secretCiphertext : null,
        previousSecretUntil,
        secretRotatedAt: now,
      });
      await this.record(viewer, row.id, row.organizationId, 'SECRET_ROTATED', {
        overlapHours,
        previousSecretValidUntil: previousSecretUntil?.toISOString() ?? null,
        secretGiven: Boolean(rotation.secret),
      });
      this.forget(row);
      return { source: await this.rereadAndAnnounce(row.id), newSecret: secret };
    });
  }

  /** Sets or removes secret settings by name; the others stay (they cannot be read back to be retyped). */
  async setCredentials(viewer: Viewer, sourceId: string, changes: CredentialChange[]): Promise<SourceEntity> {
    return this.uow.run(async () => {
      const row = await this.lockManaged(viewer, sourceId);
      const merged = mergeCredentials(this.secrets.openCredentials(row), changes);
      const sealed = this.secrets.sealCredentials(row.id, merged.credentials);
      await this.sources.update(row.id, { credentialsCiphertext: sealed.ciphertext, credentialNames: sealed.names });
      await this.record(viewer, row.id, row.organizationId, 'CREDENTIALS_SET', {
        set: merged.set,
        removed: merged.removed,
      });
      this.forget(row);
      return this.rereadAndAnnounce(row.id);
    });
  }

  /** The recorded changes of these sources (the viewer's scope applies), oldest first. */
  changesOf(sourceIds: readonly string[]): Promise<SourceChangeEntity[]> {
    return this.uow.run(() => this.sources.changesOf(sourceIds));
  }

  /**
   * What the organisation's official site lists (cl. 3): enabled accounts with a public page,
   * read in that organisation's scope alone. Anyone may ask; nothing secret is read.
   */
  async publicList(organizationId: string): Promise<PublicSource[]> {
    checkOrganizationId(organizationId);
    const cached = this.publicCache.get(organizationId);
    if (cached) return cached;
    const correlationId = callContext.correlationId() ?? newCorrelationId();
    const rows = await callContext.run({ correlationId, orgScope: orgsScope([organizationId]), actor: 'public' }, () =>
      this.uow.run(() => this.sources.findPublic(organizationId, NOT_PUBLIC_KINDS)),
    );
    const list = rows.flatMap((row) => {
      const url = publicPage(row.settings.publicUrl);
      return url ? [{ name: row.name, platform: row.platform, url }] : [];
    });
    this.publicCache.set(organizationId, list);
    return list;
  }

  /**
   * A feed's address must be on the public internet (SSRF, docs/security.md B8): its form, and
   * every address its name resolves to now. The poller checks again at each fetch, after DNS,
   * since a name can be pointed elsewhere later.
   */
  private async checkFeedAddress(kind: SourceKind, settings: Record<string, unknown>): Promise<void> {
    if (kind !== 'FEED' || typeof settings.url !== 'string') return;
    const refusal = await resolvedRefusal(new URL(settings.url), this.config.feedAddresses);
    if (refusal) {
      throw SourceException.badInput(
        'settings.url',
        `must be an address on the public internet (Otklik fetches nothing inside its own network): ${refusal}`,
      );
    }
  }

  private assertManages(viewer: Viewer, organizationId: string, notFound: () => SourceException): void {
    const access = sourceAccess(viewer, organizationId);
    if (access === 'NOT_VISIBLE') throw notFound();
    if (access === 'FORBIDDEN') throw SourceException.notManager(organizationId);
  }

  private async lockManaged(viewer: Viewer, id: string): Promise<SourceEntity> {
    const row = await this.sources.findForUpdate(id);
    if (!row) throw SourceException.sourceNotFound(id);
    this.assertManages(viewer, row.organizationId, () => SourceException.sourceNotFound(id));
    return row;
  }

  private async reread(id: string): Promise<SourceEntity> {
    const row = await this.sources.findById(id);
    // Just written in this transaction: not finding it is a bug.
    if (!row) throw new Error(`source ${id} cannot be read back`);
    return row;
  }

  /** The row after a change, announced (source.changed) in the change's transaction. */
  private async rereadAndAnnounce(id: string): Promise<SourceEntity> {
    const source = await this.reread(id);
    await this.announcer.announce(source);
    return source;
  }

  private forget(row: SourceEntity): void {
    this.webhookSources.forget(row.id);
    this.publicCache.delete(row.organizationId);
  }

  private record(
    viewer: Viewer,
    sourceId: string,
    organizationId: string,
    action: SourceChangeAction,
    changes: Record<string, unknown>,
  ): Promise<void> {
    return this.sources.appendChange({
      id: randomUUID(),
      sourceId,
      organizationId,
      at: new Date(),
      actor: viewer.login,
      action,
      changes,
      correlationId: callContext.correlationId() ?? newCorrelationId(),
    });
  }
}

/** `vk-3f9a2c1b` and the like, when the official gives no id. */
function newSourceId(kind: SourceKind): string {
  return `${WEBHOOK_PATHS[kind] ?? kind.toLowerCase()}-${randomBytes(4).toString('hex')}`;
}

function checkRequireTimestamp(kind: SourceKind, value: boolean): boolean {
  if (value && kind !== 'GENERIC_WEBHOOK') {
    throw SourceException.badInput('requireTimestamp', 'applies to GENERIC_WEBHOOK sources only');
  }
  return value;
}

/** JSON with object keys sorted: jsonb gives keys back in its own order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** A stored public page that is still an http(s) address (rows older than the rules are checked too). */
function publicPage(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}
