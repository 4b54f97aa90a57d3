import { Column, Entity, PrimaryColumn } from 'typeorm';

export const SOURCE_CHANGE_ACTIONS = ['CREATED', 'UPDATED', 'SECRET_ROTATED', 'CREDENTIALS_SET'] as const;
export type SourceChangeAction = (typeof SOURCE_CHANGE_ACTIONS)[number];

/** One change to a source: who, when, what (never a secret or a credential's value). Append-only. */
@Entity({ schema: 'intake', name: 'source_changes' })
export class SourceChangeEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { name: 'source_id' }) sourceId: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('timestamptz') at: Date;
  /** The login of who made it. */
  @Column('text') actor: string;
  @Column('text') action: SourceChangeAction;
  /** What changed: fields with their old and new values, credential names, the rotation's overlap. */
  @Column('jsonb') changes: Record<string, unknown>;
  @Column('text', { name: 'correlation_id' }) correlationId: string;
}
