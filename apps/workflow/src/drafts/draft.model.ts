import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { DraftKind } from '@otklik/contracts';
import { DraftKindEnum } from '../publications/publication.model';
import { DRAFT_STATUSES, DraftStatus } from './draft.entity';

export const DraftStatusEnum = Object.fromEntries(DRAFT_STATUSES.map((s) => [s, s])) as { [S in DraftStatus]: S };
registerEnumType(DraftStatusEnum, {
  name: 'DraftStatus',
  description: 'SUBMITTED (awaits the official), RETURNED (with the official’s comment) or APPROVED (published)',
});

export const ATTACHMENT_KINDS = ['PHOTO', 'VIDEO'] as const;
export const AttachmentKindEnum = { PHOTO: 'PHOTO', VIDEO: 'VIDEO' } as const;
registerEnumType(AttachmentKindEnum, { name: 'DraftAttachmentKind' });

@ObjectType('DraftAttachment', { description: 'A photo or video sent with the answer (cl. 10)' })
export class DraftAttachmentModel {
  @Field(() => AttachmentKindEnum) type: 'PHOTO' | 'VIDEO';
  /** Resolved by DraftAttachmentResolver.url (for an upload, a URL made afresh on every read). */
  @Field(() => String, {
    description: 'Where the file is: the address given, or for an uploaded file a signed URL valid for an hour',
  })
  url: string | null;
  @Field(() => String, { nullable: true }) contentType: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'The uploaded file (createAttachmentUpload); null for a file already online',
  })
  attachmentId: string | null;
}

@InputType('DraftAttachmentInput', {
  description: 'An uploaded file (attachmentId) or a file already online (url): one of the two',
})
export class DraftAttachmentInput {
  @Field(() => AttachmentKindEnum) type: 'PHOTO' | 'VIDEO';
  @Field(() => ID, {
    nullable: true,
    description: 'A file of this case uploaded through createAttachmentUpload',
  })
  attachmentId?: string | null;
  @Field(() => String, { nullable: true, description: 'Where a file already online is (http or https)' })
  url?: string | null;
  @Field(() => String, { nullable: true, description: 'Of a file given by url (an upload’s own is known)' })
  contentType?: string;
}

@ObjectType('DraftPreview', {
  description: 'The draft as it will appear on the message’s platform, with the platform’s limits checked (cl. 10)',
})
export class DraftPreviewModel {
  @Field() platform: string;
  @Field({ description: 'The text as it will be sent' }) text: string;
  @Field(() => Int, { description: 'Its length as the platform counts it' }) length: number;
  @Field(() => Int, { description: 'The most the platform takes here (a caption’s limit when media go with it)' })
  maxLength: number;
  @Field(() => Int) attachmentCount: number;
  @Field(() => Int) maxAttachments: number;
  @Field() fits: boolean;
  @Field(() => [String], { description: 'What to change before it can be sent; empty when it fits' })
  problems: string[];
}

@ObjectType('Draft', { description: 'One version of an answer drafted by the executor (cl. 7); every version is kept' })
export class DraftModel {
  @Field(() => ID) id: string;
  @Field(() => Int) version: number;
  @Field(() => DraftKindEnum) kind: DraftKind;
  @Field() text: string;
  @Field(() => String, { nullable: true, description: 'What was done (required on repeats, cl. 9)' })
  measures: string | null;
  @Field(() => [DraftAttachmentModel]) attachments: DraftAttachmentModel[];
  @Field(() => GraphQLISODateTime) submittedAt: Date;
  @Field(() => DraftStatusEnum) status: DraftStatus;
  @Field(() => String, { nullable: true, description: 'Login of the official who approved or returned it' })
  decidedBy: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) decidedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'The official’s comment when returned' })
  decisionComment: string | null;
  @Field(() => DraftPreviewModel) preview: DraftPreviewModel;
  /** Resolved by DraftResolver.author. */
  authorUserId: string;
}
