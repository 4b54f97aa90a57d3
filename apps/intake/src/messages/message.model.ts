import { Directive, Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { EXCLUSION_REASONS, ExclusionReason, PLATFORMS, Platform } from '@otklik/contracts';
import { SIGNAL_KINDS, SignalKind } from '@otklik/criticality';
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

export const CriticalitySignalKindEnum = enumOf(SIGNAL_KINDS);
registerEnumType(CriticalitySignalKindEnum, {
  name: 'CriticalitySignalKind',
  description:
    'A sign that a message is critical (PROBLEM, REQUEST, QUESTION, DISCONTENT, SERVICE, ADDRESS) or that it is not (PRAISE, CHATTER, NEWS, AD)',
});

@ObjectType('CriticalitySignal')
export class CriticalitySignalModel {
  @Field(() => CriticalitySignalKindEnum) kind: SignalKind;
  @Field(() => String, { description: 'The span as it stands in the text' }) evidence: string;
}

@ObjectType('Criticality', {
  description:
    'Whether a message is critical (cl. 1): a complaint, criticism or request that needs an answer. A message that is not opens no case; it is kept, and an official may open one from it',
})
export class CriticalityModel {
  @Field() critical: boolean;
  @Field(() => Int, {
    description:
      'The weight of the signs that it is critical minus the weight of those that it is not; critical at 0 or more',
  })
  score: number;
  @Field(() => [CriticalitySignalModel], { description: 'Every sign found, in the order of the text' })
  signals: CriticalitySignalModel[];
  @Field(() => String, {
    nullable: true,
    description:
      'Set when the message counts as critical whatever its words say: an official registered it by hand (registerMessage), and says who',
  })
  decidedBy?: string | null;
}

@ObjectType('Author', { description: 'Who wrote a message, as the platform names them' })
export class AuthorModel {
  @Field(() => String, { nullable: true, description: "The author's id on the platform" }) id: string | null;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => String, { nullable: true, description: "The author's profile page" }) url: string | null;
  /** The message it belongs to: every read of these fields is logged against it (personal-data/). */
  messageId: string;
  organizationId: string;
}

@ObjectType('Attachment')
export class AttachmentModel {
  @Field(() => AttachmentTypeEnum) type: AttachmentType;
  @Field(() => String) url: string;
}

@ObjectType('MessageVersion', { description: 'A version of a message that its author has since replaced' })
export class MessageVersionModel {
  @Field(() => String) text: string;
  @Field(() => [AttachmentModel]) attachments: AttachmentModel[];
  @Field(() => GraphQLISODateTime, { description: 'When the next version took its place' }) replacedAt: Date;
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
  @Field(() => ScreeningModel, {
    description: 'Screening’s verdict on the current text (cl. 11): when it arrived, or when it was last edited',
  })
  screening: ScreeningModel;
  @Field(() => CriticalityModel, { description: 'Criticality’s verdict when the message arrived (cl. 1)' })
  criticality: CriticalityModel;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When its author last changed it; `text` is the current version, `versions` the earlier ones',
  })
  editedAt: Date | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When it was deleted on its platform; the message is kept, never erased',
  })
  deletedAt: Date | null;
}
