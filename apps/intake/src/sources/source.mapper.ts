import type { SourceChangeEntity } from './source-change.entity';
import type { SourceEntity } from './source.entity';
import type { SourceChangeModel, SourceModel } from './source.model';
import { webhookUrl } from './source.rules';

/**
 * A stored source as GraphQL shows it: the names of its credentials and the times of its secret,
 * never a secret or a credential (their columns are not read here at all).
 */
export function toSourceModel(entity: SourceEntity, publicUrl: string | null, now: Date): SourceModel {
  const until = entity.previousSecretUntil;
  return {
    id: entity.id,
    organization: { id: entity.organizationId },
    platform: entity.platform,
    kind: entity.kind,
    name: entity.name,
    settings: entity.settings,
    enabled: entity.enabled,
    requireTimestamp: entity.requireTimestamp,
    webhookUrl: webhookUrl(publicUrl, entity.kind, entity.id),
    hasSecret: entity.secretCiphertext !== null,
    hasCredentials: [...entity.credentialNames].sort(),
    secretRotatedAt: entity.secretRotatedAt,
    previousSecretValidUntil: entity.previousSecretCiphertext !== null && until && until > now ? until : null,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function toSourceChangeModel(entity: SourceChangeEntity): SourceChangeModel {
  return { at: entity.at, actor: entity.actor, action: entity.action, changes: entity.changes };
}
