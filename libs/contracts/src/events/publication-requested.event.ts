import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DRAFT_KINDS, DraftKind } from '../case';
import { defineEvent } from '../event';
import { PLATFORMS, Platform } from '../platform';

export class PublicationAttachmentV1 {
  @IsIn(['PHOTO', 'VIDEO']) type: 'PHOTO' | 'VIDEO';
  /** Where the publisher fetches the file (workflow's attachment storage). */
  @IsString() @MaxLength(2000) url: string;
  @IsOptional() @IsString() @MaxLength(200) contentType?: string;
  /**
   * true: a file uploaded to workflow's storage. Absent: a link an official gave, which the
   * publisher fetches only from the public internet (SSRF, docs/security.md B8).
   */
  @IsOptional() @IsBoolean() fromStorage?: boolean;
}

/**
 * workflow: an official approved a draft; notify publishes it under the citizen's message
 * (Step 5) and reports the outcome. Carries everything the publisher needs to reply on the
 * message's platform, so notify reads no other service's data.
 */
export class PublicationRequestedV1 {
  @IsUUID() publicationId: string;
  @IsUUID() caseId: string;
  @IsUUID() draftId: string;
  @IsIn(DRAFT_KINDS) kind: DraftKind;
  @IsUUID() messageId: string;
  @IsString() @MaxLength(200) sourceId: string;
  @IsIn(PLATFORMS) platform: Platform;
  /** The message answered: its id on the platform, its thread and its address, as intake received them. */
  @IsString() @MaxLength(500) externalId: string;
  @IsOptional() @IsString() @MaxLength(500) threadId?: string;
  @IsOptional() @IsString() @MaxLength(2000) url?: string;
  @IsOptional() @IsString() @MaxLength(200) authorId?: string;
  @IsString() text: string;
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PublicationAttachmentV1)
  attachments: PublicationAttachmentV1[];
  /**
   * The case's organisation and those above it, nearest first: whom notify tells when the answer
   * cannot be published (the nearest officials). Absent from requests made before it was added.
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  organizationPath?: string[];
}

export const PublicationRequested = defineEvent('publication.requested', 1, PublicationRequestedV1);
