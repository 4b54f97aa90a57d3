import { randomUUID } from 'node:crypto';
import { FakeRestApi, FakeRestCall, startFakeRestApi } from './fake-http';

/*
 * Enough of Odnoklassniki's bot API for groups for tests of a publisher, from apiok.ru
 * (graph.user.messages, graph.user.fileUploadUrl, /dev/errors): `POST /graph/me/messages/<chat_id>`
 * with `?access_token=` and `{recipient, message}` as JSON; `GET /graph/me/fileUploadUrl?type=…`
 * handing out an upload URL on this server. Errors are answered as OK does: the code in the
 * `invocation-error` header, `{error_code, error_msg, error_data}` in the body. Where apiok.ru
 * shows no answer (a sent message, an image upload) the shapes are the ones our publisher assumes,
 * said in docs/channels.md. Give a publisher `url` as OK_API_URL.
 */

export interface FakeOkError {
  error_code: number;
  error_msg: string;
}

export type FakeOkCall = FakeRestCall<FakeOkError>;

export interface FakeOkMessage {
  chatId: string;
  messageId: string;
  text: string;
  replyTo?: string;
  attachments: Array<{ type: string; payload: Record<string, unknown> }>;
}

/** `url` is OK_API_URL; failNext takes a path (`/graph/me/messages`, `/graph/me/fileUploadUrl`, `*`). */
export interface FakeOkApi extends FakeRestApi<FakeOkError> {
  readonly messages: FakeOkMessage[];
  readonly uploads: Array<{ type: string; contentType?: string; size: number }>;
}

const SESSION_EXPIRED: FakeOkError = { error_code: 102, error_msg: 'PARAM_SESSION_EXPIRED : Session expired' };

export async function startFakeOkApi(options: { token: string }): Promise<FakeOkApi> {
  const messages: FakeOkMessage[] = [];
  const uploads: FakeOkApi['uploads'] = [];
  const pending = new Map<string, { type: string; token: string }>();
  const tokens = new Set<string>();
  let seq = 1;

  const api = await startFakeRestApi<FakeOkError>(
    (error) => ({ headers: { 'invocation-error': String(error.error_code) }, json: { ...error, error_data: null } }),
    ({ request, query, call, refuse, queued, revoked, base }) => {
      const upload = /^\/upload\/([\w-]+)$/.exec(request.path);
      if (upload && request.method === 'POST') {
        const slot = pending.get(upload[1]);
        if (!slot || request.body.length === 0) return refuse({ error_code: 100, error_msg: 'PARAM : no file' });
        uploads.push({ type: slot.type, contentType: request.headers['content-type'], size: request.body.length });
        tokens.add(slot.token);
        return { json: slot.type === 'IMAGE' ? { photos: { [randomUUID()]: { token: slot.token } } } : {} };
      }

      if (revoked || query.access_token !== options.token) return refuse(SESSION_EXPIRED);
      const route = request.path.startsWith('/graph/me/messages/') ? '/graph/me/messages' : request.path;
      const failure = queued(route);
      if (failure) return refuse(failure);

      if (request.path === '/graph/me/fileUploadUrl' && request.method === 'GET') {
        const type = query.type ?? 'FILE';
        const id = randomUUID();
        const token = `${type.toLowerCase()}-${randomUUID()}`;
        pending.set(id, { type, token });
        return { json: { url: `${base}/upload/${id}`, ...(type === 'VIDEO' ? { token } : { file_id: id }) } };
      }

      const chat = /^\/graph\/me\/messages\/([^/]+)$/.exec(request.path);
      if (chat && request.method === 'POST') {
        const body = JSON.parse(request.body.toString('utf8') || '{}') as {
          recipient?: { chat_id?: string };
          message?: { text?: string; reply_to?: string; attachment?: unknown; attachments?: unknown[] };
        };
        call.body = body;
        const chatId = decodeURIComponent(chat[1]);
        if (body.recipient?.chat_id !== chatId) {
          return refuse({ error_code: 100, error_msg: 'PARAM : recipient.chat_id does not match the path' });
        }
        const attachments = (
          body.message?.attachments ?? (body.message?.attachment ? [body.message.attachment] : [])
        ).map((a) => a as FakeOkMessage['attachments'][number]);
        if (attachments.length > 5) return refuse({ error_code: 100, error_msg: 'PARAM : too many attachments' });
        if (attachments.some((a) => typeof a.payload?.token !== 'string' || !tokens.has(a.payload.token))) {
          return refuse({ error_code: 100, error_msg: 'PARAM : invalid attachment token' });
        }
        const text = body.message?.text ?? '';
        if (text === '' && attachments.length === 0)
          return refuse({ error_code: 100, error_msg: 'PARAM : empty message' });
        const messageId = `mid:${chatId.replace(/^chat:/, '')}${(seq++).toString(16).padStart(8, '0')}`;
        messages.push({
          chatId,
          messageId,
          text,
          ...(body.message?.reply_to ? { replyTo: body.message.reply_to } : {}),
          attachments,
        });
        return { json: { success: true, chat_id: chatId, message_id: messageId } };
      }
      return refuse({ error_code: 3, error_msg: `METHOD : ${request.method} ${request.path}` });
    },
  );
  return { ...api, messages, uploads };
}
