import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A production calendar year loaded by a coordinator; it replaces the bundled year of the same number. */
@Entity({ name: 'calendar_years' })
export class CalendarYearEntity {
  @PrimaryColumn('integer') year: number;
  /** The year's JSON as libs/calendar's loadYear accepts it (validated before it is stored). */
  @Column('jsonb') data: object;
  /** The decree the year follows (data.source), for reading without the JSON. */
  @Column('text') source: string;
  @Column('text', { name: 'loaded_by' }) loadedBy: string;
  @Column('timestamptz', { name: 'loaded_at' }) loadedAt: Date;
}
