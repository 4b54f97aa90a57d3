import { Injectable } from '@nestjs/common';
import type { ConnectorSource } from '@otklik/channels';
import { SecretBox } from '@otklik/secrets';
import { SourceEntity } from './source.entity';

/**
 * A source with its secrets opened: what a webhook is checked against and a connector reads.
 * Kept in memory only (SourceService's short cache), never stored or logged as such (the
 * logger redacts these field names).
 */
export interface Source extends Pick<
  SourceEntity,
  'id' | 'organizationId' | 'platform' | 'kind' | 'name' | 'requireTimestamp' | 'settings' | 'enabled' | 'createdAt'
> {
  /** The current webhook secret; null for kinds no webhook reaches. */
  secret: string | null;
  /** The secret before the last rotation, still accepted until previousSecretUntil. */
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  credentials: Record<string, string>;
}

/** The associated data a source's secret is sealed with: the current and the previous one share it. */
export const secretContext = (sourceId: string): string => `intake.sources/${sourceId}/secret`;
export const credentialsContext = (sourceId: string): string => `intake.sources/${sourceId}/credentials`;

/** Seals what a source keeps secret for storage, and opens a stored row into a Source. */
@Injectable()
export class SourceSecrets {
  constructor(private readonly box: SecretBox) {}

  sealSecret(sourceId: string, secret: string): string {
    return this.box.seal(secret, secretContext(sourceId));
  }

  /** The sealed credentials and their names; nothing (null) when there are none. */
  sealCredentials(
    sourceId: string,
    credentials: Record<string, string>,
  ): { ciphertext: string | null; names: string[] } {
    const names = Object.keys(credentials).sort();
    if (names.length === 0) return { ciphertext: null, names };
    return { ciphertext: this.box.seal(JSON.stringify(credentials), credentialsContext(sourceId)), names };
  }

  openCredentials(row: Pick<SourceEntity, 'id' | 'credentialsCiphertext'>): Record<string, string> {
    if (!row.credentialsCiphertext) return {};
    return JSON.parse(this.box.open(row.credentialsCiphertext, credentialsContext(row.id))) as Record<string, string>;
  }

  open(row: SourceEntity): Source {
    const context = secretContext(row.id);
    return {
      id: row.id,
      organizationId: row.organizationId,
      platform: row.platform,
      kind: row.kind,
      name: row.name,
      requireTimestamp: row.requireTimestamp,
      settings: row.settings,
      enabled: row.enabled,
      createdAt: row.createdAt,
      secret: row.secretCiphertext === null ? null : this.box.open(row.secretCiphertext, context),
      previousSecret:
        row.previousSecretCiphertext === null ? null : this.box.open(row.previousSecretCiphertext, context),
      previousSecretUntil: row.previousSecretUntil,
      credentials: this.openCredentials(row),
    };
  }
}

/** Every secret of a source valid at `now`: the current one first, the previous one during its overlap. */
export function validSecrets(source: Source, now: Date): string[] {
  const secrets = source.secret === null ? [] : [source.secret];
  if (source.previousSecret !== null && source.previousSecretUntil && source.previousSecretUntil > now) {
    secrets.push(source.previousSecret);
  }
  return secrets;
}

/** The source as a platform connector sees it. */
export function toConnectorSource(source: Source, now: Date): ConnectorSource {
  return {
    id: source.id,
    platform: source.platform,
    secrets: validSecrets(source, now),
    settings: source.settings,
    credentials: source.credentials,
  };
}
