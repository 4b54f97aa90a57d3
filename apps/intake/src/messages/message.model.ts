import { Directive, Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { EXCLUSION_REASONS, ExclusionReason, PLATFORMS, Platform } from '@otklik/contracts';
import { ATTACHMENT_TYPES, AttachmentType } from './message.entity';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

/** CONTRACT.md's enum Platform; workflow declares the same one (identical enums compose). */
export const PlatformEnum = enumOf(PLATFORMS);
registerEnumType(PlatformEnum, { name: 'Platform' });

export const AttachmentTypeEnum = enumOf(ATTACHMENT_TYPES);
registerEnumType(AttachmentTypeEnum, { name: 'AttachmentType' });

/** CONTRACT.md's enum ExclusionReason; workflow declares the same one (identical enums compose). */
export const ExclusionReasonEnum = enumOf(EXCLUSION_REASONS);
registerEnumType(ExclusionReasonEnum, {
  name: 'ExclusionReason',
  description: 'Why a message is not processed or answered (cl. 11)',
});

@ObjectType('Screening', {
  description:
    'What screening (cl. 11) finds in a text: a proposal the official confirms or overrules, with its evidence',
})
export class ScreeningModel {
  @Field({ description: 'Whether screening proposes to exclude the message' }) excluded: boolean;
  @Field(() => [ExclusionReasonEnum], { description: 'The reasons found, the gravest first' })
  reasons: ExclusionReason[];
  @Field(() => [String], { description: 'Each matched span as it stands in the text' }) evidence: string[];
}

@ObjectType('Author', { description: 'Who wrote a message, as the platform names them' })
export class AuthorModel {
  @Field(() => String, { nullable: true, description: "The author's id on the platform" }) id: string | null;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => String, { nullable: true, description: "The author's profile page" }) url: string | null;
}

@ObjectType('Attachment')
export class AttachmentModel {
  @Field(() => AttachmentTypeEnum) type: AttachmentType;
  @Field(() => String) url: string;
}

@ObjectType('Message', { description: "A citizen's message as a channel delivered it (owned by intake)" })
@Directive('@key(fields: "id")')
export class MessageModel {
  @Field(() => ID) id: string;
  @Field(() => PlatformEnum) platform: Platform;
  @Field(() => String, { nullable: true, description: 'Where the message can be seen on its platform' }) url:
    string | null;
  @Field(() => String) text: string;
  @Field(() => GraphQLISODateTime, { description: 'When the author posted it' }) postedAt: Date;
  @Field(() => AuthorModel, { nullable: true }) author: AuthorModel | null;
  @Field(() => [AttachmentModel]) attachments: AttachmentModel[];
  @Field(() => GraphQLISODateTime, { description: 'When intake received it' }) receivedAt: Date;
  @Field(() => String, { nullable: true, description: "The platform's id of the thread (post, chat) it belongs to" })
  threadId: string | null;
  @Field(() => ScreeningModel, { description: 'Screening’s verdict when the message arrived (cl. 11)' })
  screening: ScreeningModel;
}
