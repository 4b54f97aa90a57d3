import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ClassifierJson } from '@otklik/classifier';

export const ROUTING_TARGETS = ['ORGANIZATION', 'TOPIC'] as const;
/** What a model suggests: the organisation to route to, or the topic. */
export type RoutingTarget = (typeof ROUTING_TARGETS)[number];

/** The newest model of an organisation tree for one target; version 0 and no model: asked for, not trained yet. */
@Entity({ name: 'routing_models' })
export class RoutingModelEntity {
  /** The organisation whose tree it routes within: the one its archive was imported for. */
  @PrimaryColumn('uuid', { name: 'organization_id' }) organizationId: string;
  @PrimaryColumn('text') target: RoutingTarget;
  /** Bumped by every training: replicas reload their cached model when it changes. */
  @Column('integer') version: number;
  @Column('jsonb', { nullable: true }) model: ClassifierJson | null;
  @Column('timestamptz', { name: 'trained_at', nullable: true }) trainedAt: Date | null;
  @Column('integer') examples: number;
  @Column('integer') labels: number;
  @Column('integer') features: number;
  /** Top-1 and top-3 accuracy on a stratified 20 % held out from a model trained on the rest. */
  @Column('integer', { name: 'held_out_size', nullable: true }) heldOutSize: number | null;
  @Column('double precision', { name: 'held_out_top1', nullable: true }) heldOutTop1: number | null;
  @Column('double precision', { name: 'held_out_top3', nullable: true }) heldOutTop3: number | null;
  /** A retraining was asked for (a large import, or on demand) and not yet done. */
  @Column('timestamptz', { name: 'requested_at', nullable: true }) requestedAt: Date | null;
  @Column('text', { name: 'requested_by', nullable: true }) requestedBy: string | null;
}
