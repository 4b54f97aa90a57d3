import { Type } from 'class-transformer';
import {
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { defineEvent } from '../event';
import { PLATFORMS, Platform } from '../platform';
import { MessageAttachmentV1, MessageScreeningV1 } from './message-accepted.event';

/**
 * The author changed a message intake had accepted: `text` and `attachments` are the new
 * version; the one it replaced is kept in intake (Message.versions), never overwritten.
 * Screening (cl. 11) looks at the new text again: what an author adds later counts too.
 */
export class MessageEditedV1 {
  @IsUUID() messageId: string;
  @IsString() sourceId: string;
  @IsIn(PLATFORMS) platform: Platform;
  @IsString() @MaxLength(500) externalId: string;
  @IsString() text: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => MessageAttachmentV1) attachments: MessageAttachmentV1[];
  /** When the platform says it was edited, or when intake learnt of it. */
  @IsISO8601() editedAt: string;
  /** How many earlier versions the message has now (1 after the first edit). */
  @IsInt() @Min(1) previousVersions: number;
  @IsDefined() @ValidateNested() @Type(() => MessageScreeningV1) screening: MessageScreeningV1;
}

/**
 * The message was deleted on its platform (by its author or a moderator). intake marks it and
 * keeps it (cl. 11: what was said stays on record); a case about it goes on.
 */
export class MessageDeletedV1 {
  @IsUUID() messageId: string;
  @IsString() sourceId: string;
  @IsIn(PLATFORMS) platform: Platform;
  @IsString() @MaxLength(500) externalId: string;
  @IsISO8601() deletedAt: string;
  /** Who deleted it, as the platform names them (`id42`, `club1`), when it says. */
  @IsOptional() @IsString() @MaxLength(200) deletedBy?: string;
}

export const MessageEdited = defineEvent('message.edited', 1, MessageEditedV1);
export const MessageDeleted = defineEvent('message.deleted', 1, MessageDeletedV1);
