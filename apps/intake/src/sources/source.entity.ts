import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Platform } from '@otklik/contracts';

/**
 * MANUAL: messages registered by hand (registerMessage), one such source per organisation.
 * FEED: a website's RSS/Atom feed or page, polled. IMPORT: batches imported from CSV/XLSX.
 * META_WEBHOOK (Facebook, Instagram) and X_ACTIVITY (Twitter/X): restricted in Russia since 2022.
 */
export const SOURCE_KINDS = [
  'GENERIC_WEBHOOK',
  'VK_CALLBACK',
  'TELEGRAM_BOT',
  'MANUAL',
  'MAX_BOT',
  'OK_BOT',
  'META_WEBHOOK',
  'X_ACTIVITY',
  'FEED',
  'IMPORT',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/**
 * A source as stored: its secrets sealed (libs/secrets; source.secrets.ts opens them), never in
 * plaintext. The current secret and the one before a rotation share a context, so rotating
 * moves a sealed value between columns without opening it.
 */
@Entity({ schema: 'intake', name: 'sources' })
export class SourceEntity {
  @PrimaryColumn('text') id: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text') platform: Platform;
  @Column('text') kind: SourceKind;
  @Column('text') name: string;
  /** The webhook secret, sealed; null for kinds no webhook reaches (MANUAL, FEED, IMPORT). */
  @Column('text', { name: 'secret_ciphertext', nullable: true }) secretCiphertext: string | null;
  /** The secret before the last rotation, accepted until previousSecretUntil. */
  @Column('text', { name: 'previous_secret_ciphertext', nullable: true }) previousSecretCiphertext: string | null;
  @Column('timestamptz', { name: 'previous_secret_until', nullable: true }) previousSecretUntil: Date | null;
  @Column('timestamptz', { name: 'secret_rotated_at', nullable: true }) secretRotatedAt: Date | null;
  /** Secret settings (access tokens, bot tokens, Meta's verify token) as one sealed JSON object. */
  @Column('text', { name: 'credentials_ciphertext', nullable: true }) credentialsCiphertext: string | null;
  /** Their names, readable without opening them (GraphQL shows which are set). */
  @Column('text', { name: 'credential_names', array: true }) credentialNames: string[];
  @Column('boolean', { name: 'require_timestamp' }) requireTimestamp: boolean;
  /** What is not secret: VK's group id and confirmation string, a feed's URL, the public page, … */
  @Column('jsonb') settings: Record<string, unknown>;
  @Column('boolean') enabled: boolean;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
