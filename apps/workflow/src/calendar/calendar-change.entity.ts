import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One load of a calendar year: what was in effect before, what replaced it, who, when and why (append-only). */
@Entity({ name: 'calendar_changes' })
export class CalendarChangeEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('integer') year: number;
  /** The year in effect before (stored or bundled); null when the year was not known at all. */
  @Column('jsonb', { nullable: true }) previous: object | null;
  @Column('jsonb') data: object;
  @Column('text', { name: 'changed_by' }) changedBy: string;
  @Column('timestamptz', { name: 'changed_at' }) changedAt: Date;
  @Column('text') reason: string;
}
