import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One run of the retention job (152-FZ): when, by which replica, up to when, and how much it
 * purged. Append-only; holds no organisation's data, only counts.
 */
@Entity({ schema: 'intake', name: 'retention_runs' })
export class RetentionRunEntity {
  @PrimaryColumn('uuid') id: string;
  /** The replica's job (RetentionJob.id): several replicas run it side by side. */
  @Column('uuid') runner: string;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('timestamptz', { name: 'finished_at' }) finishedAt: Date;
  /** Messages received before this lost their raw payload. */
  @Column('timestamptz', { name: 'raw_before' }) rawBefore: Date;
  /** Platform deliveries received before this were forgotten. */
  @Column('timestamptz', { name: 'deliveries_before' }) deliveriesBefore: Date;
  @Column('integer', { name: 'raw_purged' }) rawPurged: number;
  @Column('integer', { name: 'deliveries_deleted' }) deliveriesDeleted: number;
  @Column('integer') batches: number;
  /** Why the run stopped early (what it did before that is counted); null when it finished. */
  @Column('text', { nullable: true }) error: string | null;
}
