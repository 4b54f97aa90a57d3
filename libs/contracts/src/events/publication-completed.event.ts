import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
} from 'class-validator';
import { defineEvent } from '../event';

/**
 * What became of a publication request. PUBLISHED: the answer stands under the citizen's message
 * (`url` where the platform gives one). FAILED: it will not be, as things stand (`error` says why,
 * in Russian, for the official). MANUAL: Otklik cannot publish there (no API, a source without
 * credentials): the official publishes the text by hand and records the address.
 */
export const PUBLICATION_OUTCOMES = ['PUBLISHED', 'FAILED', 'MANUAL'] as const;
export type PublicationOutcome = (typeof PUBLICATION_OUTCOMES)[number];

/** notify → workflow: the outcome of a publication.requested, once per publication. */
export class PublicationCompletedV1 {
  @IsUUID() publicationId: string;
  @IsUUID() caseId: string;
  @IsIn(PUBLICATION_OUTCOMES) status: PublicationOutcome;
  @IsOptional() @IsString() @MaxLength(2000) url?: string;
  /** The answer's id on the platform (a comment id, `<chat>_<message>`), when published. */
  @IsOptional() @IsString() @MaxLength(500) externalId?: string;
  /** FAILED: why, for the official; MANUAL: why it must be published by hand. */
  @IsOptional() @IsString() @MaxLength(4000) error?: string;
  /** Calls made to the platform (0 for MANUAL). */
  @IsInt() @Min(0) attempts: number;
  @IsISO8601() at: string;
  /**
   * The case's organisation and those above it, nearest first, as the request named them: whom
   * notify tells of a failure (the nearest officials). Empty when the request named none.
   */
  @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) organizationPath: string[];
}

export const PublicationCompleted = defineEvent('publication.completed', 1, PublicationCompletedV1);
