import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateNested,
  validateSync,
  ValidationError,
} from 'class-validator';
import { PLATFORMS, Platform } from '@otklik/contracts';
import { ATTACHMENT_TYPES, AttachmentType } from '../messages/message.entity';

/** The largest message text we keep (a long post with its comments fits; a book does not). */
export const MAX_TEXT_LENGTH = 20_000;
export const MAX_ATTACHMENTS = 50;

const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
const URL_MESSAGE = 'must be an http(s) URL';
const STRING = { message: 'must be a string' };
const REQUIRED = { message: 'is required' };
const atMost = (n: number) => ({ message: `must be at most ${n} characters` });
/** ISO 8601 with a time zone: a local time alone would be off by the author's offset. */
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

// Decorators of a property run from the bottom up; with stopAtFirstError the first
// refusal is the one reported, so the most basic check sits lowest.

export class GenericAuthorDto {
  @MaxLength(200, atMost(200)) @IsString(STRING) @IsOptional() id?: string;
  @MaxLength(500, atMost(500)) @IsString(STRING) @IsOptional() name?: string;
  @MaxLength(2000, atMost(2000))
  @IsUrl(URL_OPTIONS, { message: URL_MESSAGE })
  @IsString(STRING)
  @IsOptional()
  url?: string;
}

export class GenericAttachmentDto {
  @IsIn(ATTACHMENT_TYPES, { message: `must be one of ${ATTACHMENT_TYPES.join(', ')}` })
  @IsDefined(REQUIRED)
  type: AttachmentType;

  @MaxLength(2000, atMost(2000))
  @IsUrl(URL_OPTIONS, { message: URL_MESSAGE })
  @IsString(STRING)
  @IsDefined(REQUIRED)
  url: string;
}

/** The body of `POST /webhooks/generic/{sourceId}` (CONTRACT.md, "Generic webhook"). */
export class GenericMessageDto {
  @MaxLength(500, atMost(500))
  @IsNotEmpty({ message: 'must not be empty' })
  @IsString(STRING)
  @IsDefined(REQUIRED)
  externalId: string;

  @MaxLength(2000, atMost(2000))
  @IsUrl(URL_OPTIONS, { message: URL_MESSAGE })
  @IsString(STRING)
  @IsOptional()
  url?: string;

  @IsIn(PLATFORMS, { message: `must be one of ${PLATFORMS.join(', ')}` })
  @IsOptional()
  platform?: Platform;

  @MaxLength(MAX_TEXT_LENGTH, atMost(MAX_TEXT_LENGTH))
  @Matches(/\S/, { message: 'must not be empty' })
  @IsString(STRING)
  @IsDefined(REQUIRED)
  text: string;

  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'must be a valid date and time' })
  @Matches(WITH_OFFSET, { message: 'must be ISO 8601 with a time zone offset, e.g. 2026-11-27T08:15:00+07:00' })
  @IsString(STRING)
  @IsDefined(REQUIRED)
  postedAt: string;

  @ValidateNested()
  @Type(() => GenericAuthorDto)
  @IsObject({ message: 'must be an object' })
  @IsOptional()
  author?: GenericAuthorDto;

  @MaxLength(500, atMost(500))
  @IsString(STRING)
  @IsOptional()
  threadId?: string;

  @ValidateNested({ each: true, message: 'must be an object' })
  @Type(() => GenericAttachmentDto)
  @ArrayMaxSize(MAX_ATTACHMENTS, { message: `must hold at most ${MAX_ATTACHMENTS} attachments` })
  @IsArray({ message: 'must be an array' })
  @IsOptional()
  attachments?: GenericAttachmentDto[];
}

export type GenericMessageCheck = { ok: true; message: GenericMessageDto } | { ok: false; problems: string[] };

/**
 * Checks a parsed body against the contract and lists every problem, each as
 * "path: what is wrong" (`author.url: must be an http(s) URL`, `attachments[1].type: …`).
 */
export function checkGenericMessage(body: unknown): GenericMessageCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: ['body: must be a JSON object'] };
  }
  // class-transformer takes a nested object's own `constructor` for its class, and throws when a
  // body sets that key to anything else; it skips the key anyway, so the copy it reads lacks it.
  const message = plainToInstance(GenericMessageDto, withoutClassKeys(body));
  const problems = [
    ...describe(validateSync(message, { whitelist: true, stopAtFirstError: true })),
    // The whole body is kept (raw), so this holds for fields the contract does not name too.
    ...findUnstorableCharacters(body, ''),
  ];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, message };
}

/** The value without the keys class-transformer reads as a class (`constructor`, `__proto__`), at any depth. */
function withoutClassKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutClassKeys);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key !== 'constructor' && key !== '__proto__') copy[key] = withoutClassKeys(item);
  }
  return copy;
}

/** `attachments` + `1` → `attachments[1]`; `author` + `url` → `author.url`. */
const pathOf = (parent: string, key: string): string =>
  /^\d+$/.test(key) ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = pathOf(parent, e.property);
    const own = Object.values(e.constraints ?? {}).map((c) => `${path}: ${c}`);
    return [...own, ...describe(e.children ?? [], path)];
  });
}

/** U+0000, and halves of surrogate pairs standing alone: PostgreSQL's text and jsonb refuse both. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function findUnstorableCharacters(value: unknown, path: string): string[] {
  const refuse = (where: string) => [
    `${where || 'body'}: must not contain U+0000 or an unpaired surrogate (\\ud800–\\udfff)`,
  ];
  if (typeof value === 'string') return UNSTORABLE.test(value) ? refuse(path) : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => findUnstorableCharacters(item, pathOf(path, String(i))));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) =>
      UNSTORABLE.test(key) ? refuse(path) : findUnstorableCharacters(item, pathOf(path, key)),
    );
  }
  return [];
}
