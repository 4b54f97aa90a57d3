import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user's role in an organisation, as workflow announced it (StaffAppointed): who to tell what. */
@Entity({ schema: 'notify', name: 'recipients' })
export class RecipientEntity {
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  @PrimaryColumn('uuid', { name: 'organization_id' }) organizationId: string;
  @PrimaryColumn('text') role: string;
  @Column('text') login: string;
  @Column('text', { name: 'display_name' }) displayName: string;
  @Column('text', { nullable: true }) email: string | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
