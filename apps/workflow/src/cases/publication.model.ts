import { Field, GraphQLISODateTime, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Platform, PLATFORMS } from '@otklik/contracts';

export const DRAFT_KINDS = ['FINAL', 'INTERIM', 'CLARIFICATION'] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];
export const PUBLICATION_STATUSES = ['PENDING', 'PUBLISHED', 'FAILED', 'MANUAL'] as const;
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];

export const DraftKindEnum = Object.fromEntries(DRAFT_KINDS.map((k) => [k, k])) as { [K in DraftKind]: K };
registerEnumType(DraftKindEnum, {
  name: 'DraftKind',
  description: 'A final answer, an interim answer (cl. 8) or a request to the author for clarification (cl. 7)',
});

export const PublicationStatusEnum = Object.fromEntries(PUBLICATION_STATUSES.map((s) => [s, s])) as {
  [S in PublicationStatus]: S;
};
registerEnumType(PublicationStatusEnum, { name: 'PublicationStatus' });

export const PlatformEnum = Object.fromEntries(PLATFORMS.map((p) => [p, p])) as { [P in Platform]: P };
registerEnumType(PlatformEnum, { name: 'Platform' });

@ObjectType('Publication', { description: 'An answer published, or attempted, on a platform' })
export class PublicationModel {
  @Field(() => DraftKindEnum) kind: DraftKind;
  @Field(() => PlatformEnum) platform: Platform;
  @Field(() => PublicationStatusEnum) status: PublicationStatus;
  @Field(() => String, { nullable: true }) url: string | null;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) at: Date | null;
}
