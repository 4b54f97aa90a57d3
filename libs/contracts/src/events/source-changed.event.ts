import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { defineEvent } from '../event';
import { PLATFORMS, Platform } from '../platform';

/**
 * intake: a source was created or changed (settings, enabled, webhook secret rotated, credentials
 * set), or seeded. notify keeps the latest of each source to publish answers through it (Step 5)
 * without reading intake's tables. The credentials travel sealed (libs/secrets, under
 * `sourceCredentialsContext`): never in plaintext on NATS; the webhook secret does not travel at all.
 */
export class SourceChangedV1 {
  @IsString() @MaxLength(200) sourceId: string;
  @IsUUID() organizationId: string;
  @IsIn(PLATFORMS) platform: Platform;
  /** intake's source kind (VK_CALLBACK, TELEGRAM_BOT, MANUAL, FEED, …). */
  @IsString() @Matches(/^[A-Z_]{1,50}$/) kind: string;
  @IsString() @MaxLength(500) name: string;
  @IsBoolean() enabled: boolean;
  /** What is not secret: VK's group id, the public page, `restrictedPlatformAllowed`, … */
  @IsObject() settings: Record<string, unknown>;
  /** The credentials (an object of name → value, as JSON) sealed with SecretBox; absent when there are none. */
  @IsOptional() @IsString() @MaxLength(20_000) credentialsCiphertext?: string;
  /** Their names, readable without opening them. */
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) credentialNames: string[];
  /**
   * Grows with every change of the source (microseconds of intake's database clock, read under the
   * source's row lock): of two events about one source, the one with the greater version is the
   * newer, whatever order they arrive in.
   */
  @IsInt() @Min(0) version: number;
  @IsISO8601() changedAt: string;
}

export const SourceChanged = defineEvent('source.changed', 1, SourceChangedV1);

/**
 * The associated data the credentials of source.changed are sealed with: bound to the source (ids
 * are unique across organisations), so a ciphertext copied into another source's event does not
 * open. notify stores them so sealed (notify.publishing_sources).
 */
export const sourceCredentialsContext = (sourceId: string): string => `source.changed/${sourceId}/credentials`;
