import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PersonalDataField } from './personal-data.rules';

/**
 * A staff read of an author's personal data (152-FZ): who read which fields of which message's
 * author, when, under which request. Append-only; kept (the retention job does not purge it).
 */
@Entity({ schema: 'intake', name: 'personal_data_reads' })
export class PersonalDataReadEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('uuid', { name: 'message_id' }) messageId: string;
  /** The case the read came through, when the caller named it (intake alone knows messages, not cases). */
  @Column('uuid', { name: 'case_id', nullable: true }) caseId: string | null;
  @Column('text', { name: 'viewer_user_id' }) viewerUserId: string;
  @Column('text', { name: 'viewer_login' }) viewerLogin: string;
  @Column('timestamptz') at: Date;
  /** One GraphQL request: its reads of one message are one row. */
  @Column('uuid', { name: 'request_id' }) requestId: string;
  @Column('text', { name: 'correlation_id' }) correlationId: string;
  @Column('text', { array: true }) fields: PersonalDataField[];
}
