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

@Entity({ schema: 'intake', name: 'sources' })
export class SourceEntity {
  @PrimaryColumn('text') id: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text') platform: Platform;
  @Column('text') kind: SourceKind;
  @Column('text') name: string;
  @Column('text') secret: string;
  @Column('boolean', { name: 'require_timestamp' }) requireTimestamp: boolean;
  @Column('jsonb') settings: Record<string, unknown>;
  @Column('boolean') enabled: boolean;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}
