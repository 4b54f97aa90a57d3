import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AttachmentKind } from '@otklik/storage';

/** A photo or video announced for a case's draft; its bytes are in the object store under `storageKey`. */
@Entity({ name: 'attachments' })
export class AttachmentEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text') type: AttachmentKind;
  /** The bare media type announced and checked against the limits (e.g. image/jpeg). */
  @Column('text', { name: 'content_type' }) contentType: string;
  /** Bytes, as announced; the store takes exactly these. */
  @Column('integer') size: number;
  /** The name the file had on the uploader's device: shown, never used to store it. */
  @Column('text', { name: 'file_name', nullable: true }) fileName: string | null;
  /** Where the bytes are in the object store: a random id chosen by workflow (today, the attachment's id). */
  @Column('text', { name: 'storage_key' }) storageKey: string;
  /** Login of the executor who announced it. */
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  /** When the store was seen to hold every byte; null until then. */
  @Column('timestamptz', { name: 'uploaded_at', nullable: true }) uploadedAt: Date | null;
}
