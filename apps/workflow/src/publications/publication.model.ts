import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  DRAFT_KINDS,
  DraftKind,
  Platform,
  PLATFORMS,
  PUBLICATION_STATUSES,
  PublicationStatus,
} from '@otklik/contracts';

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
  @Field(() => ID, { description: 'What retryPublication takes' }) id: string;
  @Field(() => DraftKindEnum) kind: DraftKind;
  @Field(() => PlatformEnum) platform: Platform;
  @Field(() => PublicationStatusEnum) status: PublicationStatus;
  @Field(() => String, { nullable: true }) url: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'FAILED: why, for the official; MANUAL without a url: why it must be published by hand',
  })
  error: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was published, failed or recorded' })
  at: Date | null;
  @Field(() => GraphQLISODateTime, { description: 'When the official approved it for publication' })
  requestedAt: Date;
  @Field(() => String, { nullable: true, description: 'Who recorded a manual publication' })
  recordedBy: string | null;
}
