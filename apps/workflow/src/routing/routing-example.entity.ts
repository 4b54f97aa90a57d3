import { Column, Entity, PrimaryColumn } from 'typeorm';

export const EXAMPLE_ORIGINS = ['ARCHIVE', 'CORRECTION'] as const;
export type ExampleOrigin = (typeof EXAMPLE_ORIGINS)[number];

/** A text the routing and topic models learn from: an archive row or an official's routing decision. */
@Entity({ name: 'routing_examples' })
export class RoutingExampleEntity {
  @PrimaryColumn('uuid') id: string;
  /** The organisation chosen for the text; when `routed` is false, the organisation whose archive it came from. */
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  /** Whether organizationId is a routing decision (teaches routing) or only where the row was filed. */
  @Column('boolean') routed: boolean;
  @Column('text') text: string;
  /** The topic as the archive names it; null for corrections (routing says nothing of topics). */
  @Column('text', { nullable: true }) topic: string | null;
  @Column('text') origin: ExampleOrigin;
  /** CORRECTION: the case that was routed. */
  @Column('uuid', { name: 'case_id', nullable: true }) caseId: string | null;
  /** The login of who imported the archive or routed the case. */
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz') at: Date;
}
