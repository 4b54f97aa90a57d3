import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { defineEvent } from '../event';
import { EXCLUSION_REASONS, ExclusionReason } from '../case';
import { PLATFORMS, Platform } from '../platform';

export class MessageAuthorV1 {
  @IsOptional() @IsString() @MaxLength(200) id?: string;
  @IsOptional() @IsString() @MaxLength(500) name?: string;
  @IsOptional() @IsString() @MaxLength(2000) url?: string;
}

export class MessageAttachmentV1 {
  @IsIn(['PHOTO', 'VIDEO', 'DOCUMENT', 'LINK', 'AUDIO']) type: string;
  @IsString() @MaxLength(2000) url: string;
}

/** Screening's proposal for the message (cl. 11): the reasons found, none when it is clean. */
export class MessageScreeningV1 {
  @IsArray() @ArrayUnique() @IsIn(EXCLUSION_REASONS, { each: true }) reasons: ExclusionReason[];
}

/**
 * Criticality's verdict (cl. 1): whether the message is a complaint, criticism or request that
 * needs an answer. Not critical: praise, chatter, news, advertising — kept, shown, no case opened.
 */
export class MessageCriticalityV1 {
  @IsBoolean() critical: boolean;
}

/** intake stored a citizen's message (from any channel) and it awaits a case. */
export class MessageAcceptedV1 {
  @IsUUID() messageId: string;
  @IsString() sourceId: string;
  @IsIn(PLATFORMS) platform: Platform;
  @IsString() @MaxLength(500) externalId: string;
  @IsOptional() @IsString() @MaxLength(2000) url?: string;
  @IsString() text: string;
  @IsISO8601() postedAt: string;
  @IsISO8601() receivedAt: string;
  @IsOptional() @ValidateNested() @Type(() => MessageAuthorV1) author?: MessageAuthorV1;
  @IsOptional() @IsString() @MaxLength(500) threadId?: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => MessageAttachmentV1) attachments: MessageAttachmentV1[];
  /** Added after v1 first shipped: absent from messages accepted before screening existed. */
  @IsOptional() @ValidateNested() @Type(() => MessageScreeningV1) screening?: MessageScreeningV1;
  /** Added after v1 first shipped: absent from older producers, and then the message is critical. */
  @IsOptional() @ValidateNested() @Type(() => MessageCriticalityV1) criticality?: MessageCriticalityV1;
}

export const MessageAccepted = defineEvent('message.accepted', 1, MessageAcceptedV1);
