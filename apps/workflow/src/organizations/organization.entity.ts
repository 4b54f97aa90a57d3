import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OrganizationKind } from './organization.kind';

@Entity({ name: 'organizations' })
export class OrganizationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') code: string;
  @Column('text') name: string;
  @Column('text') kind: OrganizationKind;
  @Column('uuid', { name: 'parent_id', nullable: true }) parentId: string | null;
  /** IANA zone, e.g. Asia/Barnaul: deadlines are counted on this clock. */
  @Column('text', { name: 'time_zone' }) timeZone: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
