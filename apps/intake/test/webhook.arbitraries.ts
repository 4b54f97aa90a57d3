import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { PLATFORMS } from '@otklik/contracts';
import { ATTACHMENT_TYPES } from '../src/messages/message.entity';

// fast-check generators of webhook bodies for webhooks.fuzz.medium-spec.ts: bodies shaped as each
// platform documents them (and as CONTRACT.md documents the generic one), the same bodies mutated
// where naive code breaks, and bodies that are not JSON at all.

/** Just under and over the 1 MiB body limit (runService's bodyLimit '1mb'). */
export const ONE_MIB = 1024 * 1024;

/**
 * JSON text spliced into a body where a value stood: nesting deeper than JSON.stringify (or any
 * recursive reader) goes, written out by hand.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Arrays or objects nested `depth` levels deep, as JSON text. */
export const deeplyNested = (depth: number, kind: 'array' | 'object'): RawJson =>
  new RawJson(
    kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

/** Bytes as fetch and the signature take them. */
export type Bytes = Uint8Array<ArrayBuffer>;

const utf8 = (text: string): Bytes => new Uint8Array(Buffer.from(text, 'utf8'));
const concat = (...parts: Uint8Array[]): Bytes => {
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, part) => (bytes.set(part, offset), offset + part.length), 0);
  return bytes;
};
const gzip = (bytes: Uint8Array): Bytes => new Uint8Array(gzipSync(bytes));

/** A body's bytes, shown in a counterexample by its size and its beginning: a 1 MiB body would bury the report. */
export class Body {
  constructor(readonly bytes: Bytes) {}

  [fc.toStringMethod](): string {
    const head = Buffer.from(this.bytes.subarray(0, 200)).toString('utf8');
    return `Body(${this.bytes.length} bytes: ${JSON.stringify(head)}${this.bytes.length > 200 ? '…' : ''})`;
  }
}

/** The value as the JSON body a sender would send. */
export const jsonBody = (value: unknown): Body => new Body(jsonBytes(value));

/** The value as JSON bytes, with every RawJson spliced in as its text. */
export function jsonBytes(value: unknown): Bytes {
  const spliced: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (!(item instanceof RawJson)) return item;
    spliced.push(item.text);
    return `@@raw-json-${spliced.length - 1}@@`;
  });
  // A body that is only `undefined` (a mutation removed the root) is sent empty.
  if (text === undefined) return new Uint8Array(0);
  return utf8(text.replace(/"@@raw-json-(\d+)@@"/g, (_m, i: string) => spliced[Number(i)]));
}

/** Strings that PostgreSQL cannot store (U+0000, unpaired surrogates) or that sit on a length limit. */
const awkwardString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfff',
    '\ud83d',
    '😀',
    '\u202e',
    'null',
    '-1',
    '1e308',
    '99999999999999999999',
    '__proto__',
    'constructor',
    '2026-02-30T00:00:00Z',
    '+275760-09-13T00:00:00.001Z',
    '0000-01-01T00:00:00+00:00',
    'javascript:alert(1)',
    'https://' + 'a'.repeat(3000) + '.ru/',
    "'; drop table intake.messages; --",
  ),
  fc
    .tuple(
      fc.constantFrom(100, 200, 201, 500, 501, 2000, 2001, 20_000, 20_001, 200_000),
      fc.constantFrom('a', 'я', '😀', ' ', '\u0000', '/'),
    )
    .map(([length, char]) => char.repeat(length)),
  fc.string({ unit: 'binary', maxLength: 50 }),
  // Lone halves of surrogate pairs among ordinary characters.
  fc.array(fc.integer({ min: 0xd700, max: 0xe000 }), { maxLength: 8 }).map((codes) => String.fromCharCode(...codes)),
);

/** Numbers where naive code multiplies, converts to a date or indexes. */
const awkwardNumber = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    0.5,
    -0.5,
    1e308,
    -1e308,
    5e-324,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    2 ** 53 + 2,
    1e11,
    1e15,
    8.64e15,
    8.64e12 + 1,
    -8.64e12 - 1,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.maxSafeInteger(),
);

/** Any value a sender could put where a field stood: the wrong type, too long, too deep, too many. */
export const awkwardValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: awkwardString },
  { weight: 3, arbitrary: awkwardNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(100, 5_000, 100_000, 400_000), fc.constantFrom<'array' | 'object'>('array', 'object'))
      .map(([depth, kind]) => deeplyNested(depth, kind)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(51, 1_000, 30_000), fc.jsonValue({ maxDepth: 1 }))
      .map(([length, item]) => Array.from({ length }, () => item)),
  },
  // Keys that are Object.prototype's own names.
  {
    weight: 1,
    arbitrary: fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}')),
  },
);

type Path = Array<string | number>;

/** Every place in a JSON value: the root ([]), and each key or index below it. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  const here = [path];
  if (value instanceof RawJson || typeof value !== 'object' || value === null) return here;
  const entries: Array<[string | number, unknown]> = Array.isArray(value)
    ? value.slice(0, 50).map((item, i) => [i, item])
    : Object.entries(value);
  return here.concat(...entries.map(([key, item]) => pathsOf(item, [...path, key])));
}

function clone(value: unknown): unknown {
  if (value instanceof RawJson || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(clone);
  // defineProperty keeps a "__proto__" key an own key, as JSON.parse makes it.
  const copy = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(copy, key, { value: clone(item), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'remove'; at: number }
  | { kind: 'add'; at: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: awkwardValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      at: fc.nat(),
      key: fc.oneof(fc.string({ maxLength: 20 }), awkwardString),
      value: awkwardValue,
    }),
  },
);

function applyMutation(value: unknown, change: Mutation): unknown {
  const paths = pathsOf(value);
  const path = paths[change.at % paths.length];
  if (path.length === 0) {
    if (change.kind === 'replace') return clone(change.value);
    if (change.kind === 'remove') return undefined;
  }
  const parent = (change.kind === 'add' ? path : path.slice(0, -1)).reduce<unknown>(
    (node, key) => (node as Record<string | number, unknown>)[key],
    value,
  );
  if (parent instanceof RawJson || typeof parent !== 'object' || parent === null) return value;
  const container = parent as Record<string | number, unknown>;
  const key = path[path.length - 1];
  if (change.kind === 'replace') container[key] = clone(change.value);
  else if (change.kind === 'remove') {
    if (Array.isArray(container)) container.splice(Number(key), 1);
    else delete container[key];
  } else {
    const value = clone(change.value);
    Object.defineProperty(container, change.key, { value, enumerable: true, writable: true, configurable: true });
  }
  return value;
}

/** A documented shape with one to three of its places replaced, removed or added to. */
export function mutated<T>(shape: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc
    .tuple(shape, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([value, changes]) =>
      changes.reduce<unknown>((current, change) => applyMutation(current, change), clone(value)),
    );
}

/** Mostly the shape as documented (what must be stored), often mutated (what must not crash). */
export const asSentOrMutated = <T>(shape: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 2, arbitrary: shape }, { weight: 3, arbitrary: mutated(shape) });

/** Bodies that are not a JSON object: other JSON, text, bytes that are not UTF-8, sizes about the limit. */
export const notAnObjectBody: fc.Arbitrary<Body> = fc
  .oneof(
    fc.json().map(utf8),
    fc.string({ unit: 'binary', maxLength: 200 }).map(utf8),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => new Uint8Array(bytes)),
    // Invalid UTF-8 inside JSON strings: a stray continuation byte, a truncated sequence, an overlong form.
    fc
      .constantFrom([0x80], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff, 0xfe])
      .map((bytes) => concat(utf8('{"text":"a'), new Uint8Array(bytes), utf8('b"}'))),
    fc
      .constantFrom(ONE_MIB - 64, ONE_MIB, ONE_MIB + 1, ONE_MIB + 4096)
      .map((size) => utf8(`{"text":"${'x'.repeat(Math.max(0, size - 11))}"}`)),
    fc.constantFrom(100_000, 500_000).map((depth) => jsonBytes(deeplyNested(depth, 'array'))),
    fc.constant(new Uint8Array(0)),
  )
  .map((bytes) => new Body(bytes));

/** Content types and encodings a sender may claim; the webhooks read raw bytes whatever they say. */
export interface Framing {
  /** How it reads in a counterexample. */
  [fc.toStringMethod]: () => string;
  contentType?: string;
  contentEncoding?: string;
  /** The bytes on the wire: gzip'ed when the encoding says so and the framing is honest. */
  wire: (body: Bytes) => Bytes;
  /** The bytes the app reads are the body itself (no encoding, or an honest one). */
  honest: boolean;
}

const frame = (
  label: string,
  contentType: string | undefined,
  contentEncoding?: string,
  wire: (body: Bytes) => Bytes = (body) => body,
): Framing => ({
  contentType,
  contentEncoding,
  wire,
  honest: contentEncoding === undefined || label === 'gzip',
  [fc.toStringMethod]: () => `Framing(${label})`,
});

export const JSON_FRAMING = frame('json', 'application/json');

export const framing: fc.Arbitrary<Framing> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(JSON_FRAMING) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        undefined,
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=fuzz',
        'application/octet-stream',
        'application/json; charset=utf-16',
        'application/json; charset=koi8-r',
        'not a media type',
      )
      .map((contentType) => frame(`content-type ${contentType}`, contentType)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      frame('gzip', 'application/json', 'gzip', gzip),
      // A gzip bomb: 8 MiB of zeros in a few kilobytes.
      frame('gzip bomb', 'application/json', 'gzip', () => gzip(new Uint8Array(8 * ONE_MIB))),
      frame('gzip claimed, not gzip', 'application/json', 'gzip'),
      frame('br claimed, not br', 'application/json', 'br'),
      frame('unknown encoding', 'application/json', 'x-unknown'),
    ),
  },
);

// ---------------------------------------------------------------------------------------------
// The generic webhook (CONTRACT.md "Generic webhook")

const isoWithOffset = fc
  .tuple(
    fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
    fc.constantFrom(0, 420, -210, 840, -720),
  )
  .map(([date, minutes]) => {
    if (minutes === 0) return date.toISOString();
    const local = new Date(date.getTime() + minutes * 60_000).toISOString().slice(0, 23);
    const sign = minutes < 0 ? '-' : '+';
    const abs = Math.abs(minutes);
    return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  });

const storableText = (max: number) =>
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: max }).filter((s) => /\S/.test(s) && !/\u0000/.test(s));

export const genericMessage = fc.record(
  {
    externalId: storableText(60),
    url: fc.webUrl(),
    platform: fc.constantFrom(...PLATFORMS),
    text: storableText(300),
    postedAt: isoWithOffset,
    author: fc.record(
      { id: storableText(40), name: storableText(80), url: fc.webUrl({ withQueryParameters: true }) },
      { requiredKeys: [] },
    ),
    threadId: storableText(60),
    attachments: fc.array(fc.record({ type: fc.constantFrom(...ATTACHMENT_TYPES), url: fc.webUrl() }), {
      maxLength: 4,
    }),
  },
  { requiredKeys: ['externalId', 'text', 'postedAt'] },
);

// ---------------------------------------------------------------------------------------------
// Platform shapes, from the documented examples in libs/channels/src/inbound and its specs.

/** Ids as platforms send them: small, large, negative, and as strings. */
const platformId = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 2_000_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2_000_000_000 }).map(String) },
);
const unixSeconds = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1_500_000_000, max: 1_900_000_000 }) },
  { weight: 1, arbitrary: awkwardNumber },
);
const words = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
  { weight: 1, arbitrary: awkwardString },
);
const httpsUrl = fc.oneof({ weight: 4, arbitrary: fc.webUrl() }, { weight: 1, arbitrary: awkwardString });

const vkAttachment = fc.oneof(
  fc.record({
    type: fc.constant('photo'),
    photo: fc.record({
      id: platformId,
      owner_id: platformId,
      sizes: fc.array(
        fc.record({ type: fc.constantFrom('s', 'x'), url: httpsUrl, width: platformId, height: platformId }),
        {
          maxLength: 3,
        },
      ),
    }),
  }),
  fc.record({ type: fc.constant('video'), video: fc.record({ id: platformId, owner_id: platformId }) }),
  fc.record({ type: fc.constant('doc'), doc: fc.record({ url: httpsUrl }) }),
  fc.record({ type: fc.constant('link'), link: fc.record({ url: httpsUrl }) }),
  fc.record({ type: fc.constant('audio_message'), audio_message: fc.record({ link_mp3: httpsUrl }) }),
  fc.record({ type: fc.constant('wall'), wall: fc.record({ id: platformId, to_id: platformId }) }),
  fc.record({ type: fc.constant('sticker'), sticker: fc.record({ sticker_id: platformId }) }),
);

/** One object carrying the fields of every VK event read (comments, deletions, posts, messages). */
const vkObject = fc.record(
  {
    id: platformId,
    from_id: platformId,
    date: unixSeconds,
    text: words,
    owner_id: fc.constant(-1),
    post_owner_id: fc.constant(-1),
    post_id: platformId,
    photo_id: platformId,
    photo_owner_id: fc.constant(-1),
    video_id: platformId,
    video_owner_id: fc.constant(-1),
    topic_id: platformId,
    topic_owner_id: fc.constant(-1),
    deleter_id: platformId,
    peer_id: platformId,
    conversation_message_id: platformId,
    out: fc.constantFrom(0, 1),
    post_type: fc.constantFrom('post', 'suggest', 'postpone', 'reply'),
    parents_stack: fc.array(platformId, { maxLength: 2 }),
    attachments: fc.array(vkAttachment, { maxLength: 3 }),
  },
  { requiredKeys: ['id', 'from_id', 'date', 'text'] },
);

export const VK_EVENT_TYPES = [
  'wall_reply_new',
  'wall_reply_edit',
  'wall_reply_restore',
  'wall_reply_delete',
  'photo_comment_new',
  'photo_comment_delete',
  'video_comment_edit',
  'board_post_new',
  'board_post_delete',
  'wall_post_new',
  'message_new',
  'message_edit',
  'group_join',
  'confirmation',
] as const;

/** A Callback API request (dev.vk.com/ru/api/callback) for the demo community (group 1). */
export const vkEvent = fc
  .record({
    group_id: fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: platformId }),
    type: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...VK_EVENT_TYPES) }, { weight: 1, arbitrary: words }),
    event_id: fc.oneof(
      { weight: 8, arbitrary: fc.stringMatching(/^[0-9a-f]{40}$/) },
      { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
      { weight: 1, arbitrary: platformId },
    ),
    v: fc.constant('5.199'),
    object: vkObject,
    secret: fc.constant('demo-vk-secret'),
  })
  // message_new of API 5.103+ nests the message beside client_info.
  .map((event) => (event.type === 'message_new' ? { ...event, object: { message: event.object } } : event));

const tgUser = fc.record(
  {
    id: platformId,
    is_bot: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    first_name: words,
    last_name: words,
    username: fc.stringMatching(/^[a-z][a-z0-9_]{4,20}$/),
  },
  { requiredKeys: ['id', 'is_bot', 'first_name'] },
);
const tgChatId = fc.oneof(platformId, fc.constant(-1001000000002));
const tgChat = fc.record(
  {
    id: tgChatId,
    type: fc.constantFrom('private', 'group', 'supergroup', 'channel'),
    title: words,
    username: fc.stringMatching(/^[a-z][a-z0-9_]{4,20}$/),
  },
  { requiredKeys: ['id', 'type'] },
);
const tgFile = fc.record({
  file_id: fc.string({ minLength: 1, maxLength: 80 }),
  file_unique_id: fc.string({ maxLength: 20 }),
});
const tgMessage = fc.record(
  {
    message_id: platformId,
    date: unixSeconds,
    chat: tgChat,
    from: tgUser,
    text: words,
    caption: words,
    photo: fc.array(
      fc.record({ file_id: fc.string({ minLength: 1, maxLength: 80 }), width: platformId, height: platformId }),
      {
        maxLength: 3,
      },
    ),
    document: tgFile,
    voice: tgFile,
    edit_date: unixSeconds,
    message_thread_id: platformId,
    business_connection_id: fc.string({ maxLength: 40 }),
    reply_to_message: fc.record({
      message_id: platformId,
      is_automatic_forward: fc.boolean(),
      forward_origin: fc.record({
        type: fc.constant('channel'),
        chat: fc.record({ id: tgChatId, type: fc.constant('channel'), username: fc.string({ maxLength: 30 }) }),
        message_id: platformId,
      }),
    }),
    direct_messages_topic: fc.record({ topic_id: platformId }),
  },
  { requiredKeys: ['message_id', 'date', 'chat', 'from'] },
);
const TELEGRAM_FIELDS = [
  'message',
  'edited_message',
  'business_message',
  'edited_business_message',
  'channel_post',
  'callback_query',
] as const;

/** An Update (core.telegram.org/bots/api#update) with one of its optional fields. */
export const telegramUpdate = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(platformId, fc.constantFrom(...TELEGRAM_FIELDS), tgMessage)
      .map(([id, field, message]) => ({ update_id: id, [field]: message })),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      update_id: platformId,
      deleted_business_messages: fc.record({
        business_connection_id: fc.string({ maxLength: 40 }),
        chat: tgChat,
        message_ids: fc.array(platformId, { maxLength: 5 }),
      }),
    }),
  },
);

const MAX_UPDATE_TYPES = [
  'message_created',
  'message_edited',
  'message_removed',
  'comment_created',
  'comment_edited',
  'comment_removed',
  'bot_started',
  'message_callback',
] as const;

const maxMessage = fc.record(
  {
    sender: fc.record(
      { user_id: platformId, first_name: words, last_name: words, name: words, username: words, is_bot: fc.boolean() },
      { requiredKeys: ['user_id'] },
    ),
    recipient: fc.record(
      { chat_id: platformId, chat_type: fc.constantFrom('dialog', 'chat', 'channel'), post_id: platformId },
      { requiredKeys: ['chat_id'] },
    ),
    body: fc.record(
      {
        mid: fc.oneof(fc.stringMatching(/^mid\.[0-9a-f]{16,32}$/), words),
        text: words,
        attachments: fc.array(
          fc.record({
            type: fc.constantFrom('image', 'video', 'audio', 'file', 'share', 'sticker'),
            payload: fc.record({ url: httpsUrl }),
          }),
          { maxLength: 3 },
        ),
      },
      { requiredKeys: ['mid'] },
    ),
    timestamp: fc.oneof(fc.integer({ min: 1_500_000_000_000, max: 1_900_000_000_000 }), awkwardNumber),
    url: httpsUrl,
    link: fc.record({ type: fc.constant('forward'), message: fc.record({ mid: words, text: words }) }),
  },
  { requiredKeys: ['sender', 'recipient', 'body', 'timestamp'] },
);

/** A MAX Update (dev.max.ru/docs-api/objects/Update). */
export const maxUpdate = fc.record(
  {
    update_type: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...MAX_UPDATE_TYPES) },
      { weight: 1, arbitrary: words },
    ),
    timestamp: fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 1_500_000_000_000, max: 1_900_000_000_000 }) },
      { weight: 1, arbitrary: awkwardNumber },
    ),
    message: maxMessage,
    message_id: fc.oneof(fc.stringMatching(/^mid\.[0-9a-f]{16,32}$/), words),
    user_id: platformId,
    chat_id: platformId,
  },
  { requiredKeys: ['update_type', 'timestamp'] },
);

/** An OK chat event (apiok.ru/dev/graph_api/bot_api), with webhookType or, as the older examples, without. */
export const okEvent = fc.record(
  {
    webhookType: fc.constantFrom('MESSAGE_CREATED', 'MESSAGE_CALLBACK', 'CHAT_SYSTEM'),
    sender: fc.record({ user_id: platformId.map((id) => `user:${id}`), name: words }, { requiredKeys: [] }),
    recipient: fc.record({ chat_id: platformId.map((id) => `chat:C${id}`) }),
    message: fc.record(
      {
        text: words,
        seq: platformId,
        mid: fc.oneof(fc.stringMatching(/^mid:C[0-9a-f]{8}\.[0-9a-f]{6,12}$/), words),
        attachments: fc.array(
          fc.record({
            type: fc.constantFrom('IMAGE', 'VIDEO', 'FILE', 'SHARE', 'STICKER'),
            payload: fc.record({ url: httpsUrl }),
          }),
          { maxLength: 3 },
        ),
      },
      { requiredKeys: ['mid'] },
    ),
    timestamp: fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 1_500_000_000_000, max: 1_900_000_000_000 }) },
      { weight: 1, arbitrary: awkwardNumber },
    ),
  },
  { requiredKeys: ['message'] },
);
