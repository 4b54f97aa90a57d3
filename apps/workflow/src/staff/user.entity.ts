import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A member of staff. Not a tenant row: users are reached through their role assignments. */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn('uuid') id: string;
  /** The JWT's `sub`. */
  @Column('text') login: string;
  @Column('text', { name: 'display_name' }) displayName: string;
  @Column('text', { nullable: true }) email: string | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
