import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Taxonomy } from '@otklik/classifier';

/** An organisation's own topic taxonomy; the organisations below it without one use it too. */
@Entity({ name: 'routing_taxonomies' })
export class RoutingTaxonomyEntity {
  @PrimaryColumn('uuid', { name: 'organization_id' }) organizationId: string;
  /** Validated (libs/classifier's taxonomyTopics) before it is stored. */
  @Column('jsonb') taxonomy: Taxonomy;
  @Column('integer') topics: number;
  @Column('integer') version: number;
  @Column('text', { name: 'imported_by' }) importedBy: string;
  @Column('timestamptz', { name: 'imported_at' }) importedAt: Date;
}
