import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { AttachmentKindEnum } from '../drafts/draft.model';

@InputType('CreateAttachmentUploadInput', {
  description: 'A photo or video the executor is about to attach to the case’s draft (cl. 10)',
})
export class CreateAttachmentUploadInput {
  @Field(() => ID) caseId: string;
  @Field(() => AttachmentKindEnum) type: 'PHOTO' | 'VIDEO';
  @Field({
    description:
      'The file’s media type: a PHOTO is image/jpeg, image/png, image/webp or image/gif; a VIDEO is video/mp4, video/quicktime or video/webm',
  })
  contentType: string;
  @Field(() => Int, { description: 'Bytes (File.size): at most 20 MB for a PHOTO, 200 MB for a VIDEO' })
  size: number;
  @Field(() => String, {
    nullable: true,
    description: 'The name on the device, shown to people; never used to store it',
  })
  fileName?: string | null;
}

@ObjectType('HttpHeader')
export class HttpHeaderModel {
  @Field() name: string;
  @Field() value: string;
}

@ObjectType('AttachmentUpload', {
  description:
    'Where to send the file: PUT the bytes to uploadUrl with these headers before expiresAt, then name attachmentId in submitDraft',
})
export class AttachmentUploadModel {
  @Field(() => ID) attachmentId: string;
  @Field({ description: 'Signed; valid until expiresAt. The body is the file itself, not a form' })
  uploadUrl: string;
  @Field({ description: 'Always PUT' }) method: string;
  @Field(() => [HttpHeaderModel], { description: 'Send exactly these (Content-Type is checked)' })
  headers: HttpHeaderModel[];
  @Field(() => GraphQLISODateTime) expiresAt: Date;
  @Field(() => Int, { description: 'The bytes the upload must have: the size announced' })
  size: number;
}
