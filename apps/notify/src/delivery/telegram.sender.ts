import { ChannelSender, describeError, failed, OutboundMessage, retry, SendOutcome, sent } from './channel.sender';
import type { StaffBotSettings } from './delivery.config';

/** The Bot API's longest message text (https://core.telegram.org/bots/api#sendmessage). */
export const TELEGRAM_TEXT_LIMIT = 4096;
const REQUEST_TIMEOUT_MS = 15_000;

/** The Bot API's answer: `{ ok: true, result }` or `{ ok: false, error_code, description, parameters? }`. */
interface BotApiAnswer {
  ok?: boolean;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

/** The global fetch's shape; tests may pass their own. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Messages from the staff bot to a user's private chat (Bot API sendMessage, plain text). */
export class TelegramSender implements ChannelSender {
  readonly channel = 'TELEGRAM' as const;

  constructor(
    private readonly bot: StaffBotSettings,
    private readonly fetchImpl: FetchLike = fetch,
  ) {}

  async send(chatId: string, message: OutboundMessage): Promise<SendOutcome> {
    let status: number;
    let answer: BotApiAnswer | undefined;
    try {
      // The URL holds the bot's token: it is never logged, and no error below repeats it.
      const response = await this.fetchImpl(`${this.bot.apiUrl}/bot${this.bot.token}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          chat_id: Number(chatId),
          text: fitTelegram(message.text),
          link_preview_options: { is_disabled: true },
        }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      status = response.status;
      answer = parseAnswer(await response.text());
    } catch (error) {
      return retry(
        `Telegram не ответил (${(error as Error).name === 'TimeoutError' ? 'таймаут' : describeError(error)})`,
      );
    }
    return outcomeOf(status, answer);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** What the Bot API's answer means for this message. */
export function outcomeOf(status: number, answer: BotApiAnswer | undefined): SendOutcome {
  if (status === 200 && answer?.ok === true) return sent();
  const code = answer?.error_code ?? status;
  const description = answer?.description ?? `HTTP ${status}`;
  if (code === 429) {
    const seconds = answer?.parameters?.retry_after;
    return retry(`Telegram просит подождать: ${description}`, typeof seconds === 'number' ? seconds * 1000 : undefined);
  }
  if (code >= 500 || answer === undefined) return retry(`Telegram временно недоступен: ${description}`);
  if (code === 403) return failed(`бот не может писать в этот чат (пользователь его заблокировал?): ${description}`);
  if (code === 401) return failed(`Telegram не принял токен бота: ${description}`);
  return failed(`Telegram отказал: ${description}`);
}

function parseAnswer(text: string): BotApiAnswer | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A longer text (a digest of a long night) is cut at the limit, counted in UTF-16 units, with an ellipsis. */
export function fitTelegram(text: string): string {
  if (text.length <= TELEGRAM_TEXT_LIMIT) return text;
  let cut = text.slice(0, TELEGRAM_TEXT_LIMIT - 1);
  // Never half of a surrogate pair (an emoji).
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
