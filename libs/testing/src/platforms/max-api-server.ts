import { randomUUID } from 'node:crypto';
import { FakeRestApi, FakeRestCall, readForm, startFakeRestApi } from './fake-http';

/*
 * Enough of MAX's bot API for tests of a publisher, from https://dev.max.ru/docs-api:
 * `POST /messages?chat_id=…` with a NewMessageBody as JSON and the bot's token in the
 * `Authorization` header (not as a query parameter: MAX no longer takes it there); errors as
 * HTTP statuses with `{code, message}`. `POST /uploads?type=image|video` hands out an upload URL
 * on this server (and a video's token); the upload takes the file as multipart field `data` and
 * answers an image with `{photos: {…: {token}}}`. Give a publisher `url` as MAX_API_URL.
 */

export interface FakeMaxError {
  status: number;
  code: string;
  message: string;
}

export type FakeMaxCall = FakeRestCall<FakeMaxError>;

export interface FakeMaxMessage {
  chatId: number;
  mid: string;
  text: string;
  link?: { type: string; mid: string };
  attachments: Array<{ type: string; payload: Record<string, unknown> }>;
}

/** `url` is MAX_API_URL; failNext takes a path (`/messages`, `/uploads`, `*`). */
export interface FakeMaxApi extends FakeRestApi<FakeMaxError> {
  readonly messages: FakeMaxMessage[];
  /** Files uploaded: the upload's type and the file's size. */
  readonly uploads: Array<{ type: string; fileName?: string; size: number }>;
}

export async function startFakeMaxApi(options: { token: string }): Promise<FakeMaxApi> {
  const messages: FakeMaxMessage[] = [];
  const uploads: FakeMaxApi['uploads'] = [];
  /** Upload URLs handed out, and tokens of what was uploaded. */
  const pending = new Map<string, { type: string; token?: string }>();
  const tokens = new Set<string>();
  let seq = 1;

  const api = await startFakeRestApi<FakeMaxError>(
    (error) => ({ status: error.status, json: { code: error.code, message: error.message } }),
    ({ request, query, call, refuse, queued, revoked, base }) => {
      const authorised = !revoked && request.headers.authorization === options.token;

      const upload = /^\/upload\/([\w-]+)$/.exec(request.path);
      if (upload && request.method === 'POST') {
        const slot = pending.get(upload[1]);
        if (!slot) return refuse({ status: 404, code: 'not.found', message: 'Upload not found' });
        const file = readForm(request).files.find((f) => f.field === 'data');
        if (!file) return refuse({ status: 400, code: 'proto.payload', message: 'No file in "data"' });
        uploads.push({ type: slot.type, fileName: file.fileName, size: file.size });
        if (slot.type === 'video') {
          tokens.add(slot.token as string);
          return { json: { retval: 'ok' } };
        }
        const token = `img-${randomUUID()}`;
        tokens.add(token);
        return { json: { photos: { [randomUUID()]: { token } } } };
      }

      if (!authorised) {
        return refuse({ status: 401, code: 'verify.token', message: 'Invalid access_token' });
      }
      const failure = queued(request.path);
      if (failure) return refuse(failure);

      if (request.path === '/uploads' && request.method === 'POST') {
        const type = query.type;
        if (!['image', 'video', 'audio', 'file'].includes(type)) {
          return refuse({ status: 400, code: 'proto.payload', message: `Unknown upload type ${type}` });
        }
        const id = randomUUID();
        const token = type === 'video' ? `vid-${randomUUID()}` : undefined;
        pending.set(id, { type, ...(token ? { token } : {}) });
        return { json: { url: `${base}/upload/${id}`, ...(token ? { token } : {}) } };
      }

      if (request.path === '/messages' && request.method === 'POST') {
        const chatId = Number(query.chat_id);
        if (!query.chat_id || !Number.isSafeInteger(chatId)) {
          return refuse({ status: 400, code: 'proto.payload', message: 'chat_id or user_id is required' });
        }
        const body = JSON.parse(request.body.toString('utf8') || '{}') as Record<string, unknown>;
        call.body = body;
        const text = typeof body.text === 'string' ? body.text : '';
        if (text.length > 4000) {
          return refuse({ status: 400, code: 'proto.payload', message: 'text: size must be <= 4000' });
        }
        const attachments = (Array.isArray(body.attachments) ? body.attachments : []) as FakeMaxMessage['attachments'];
        for (const attachment of attachments) {
          const payload = attachment.payload ?? {};
          const given =
            typeof payload.token === 'string'
              ? [payload.token]
              : Object.values((payload.photos ?? {}) as Record<string, { token?: string }>).map((p) => p.token ?? '');
          if (given.length === 0 || given.some((t) => !tokens.has(t))) {
            return refuse({ status: 400, code: 'attachment.invalid', message: 'Invalid attachment token' });
          }
        }
        const link = body.link as FakeMaxMessage['link'] | undefined;
        const mid = `mid.${chatId.toString(16)}.${(seq++).toString().padStart(8, '0')}`;
        messages.push({ chatId, mid, text, ...(link ? { link } : {}), attachments });
        return {
          json: {
            message: {
              sender: { user_id: 9000001, is_bot: true, name: 'Otklik', username: 'otklik_bot' },
              recipient: { chat_id: chatId, chat_type: 'chat' },
              timestamp: Date.now(),
              ...(link ? { link: { type: link.type, message: { mid: link.mid } } } : {}),
              body: { mid, seq, text, attachments },
              url: null,
            },
          },
        };
      }
      return refuse({ status: 404, code: 'not.found', message: `${request.method} ${request.path}` });
    },
  );
  return { ...api, messages, uploads };
}
