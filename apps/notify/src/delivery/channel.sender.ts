import type { OutboundChannel } from '../preferences/preference.rules';

/** What is sent on a channel: a subject (e-mail only) and plain text. */
export interface OutboundMessage {
  subject: string;
  text: string;
}

/**
 * One attempt's outcome. RETRY: the channel may work later (no answer, a server's trouble, a rate
 * limit); FAILED: it will not (the address refused, the bot blocked), with the reason in words the
 * recipient understands.
 */
export type SendOutcome =
  | { outcome: 'SENT' }
  | { outcome: 'RETRY'; reason: string; retryAfterMs?: number }
  | { outcome: 'FAILED'; reason: string };

/** Sends to one address on one channel (an e-mail address, a Telegram chat id); makes one attempt. */
export interface ChannelSender {
  readonly channel: OutboundChannel;
  send(address: string, message: OutboundMessage): Promise<SendOutcome>;
  close(): Promise<void>;
}

export const sent = (): SendOutcome => ({ outcome: 'SENT' });

export const retry = (reason: string, retryAfterMs?: number): SendOutcome => ({
  outcome: 'RETRY',
  reason,
  ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
});

export const failed = (reason: string): SendOutcome => ({ outcome: 'FAILED', reason });

/** An error's message, or what was thrown, for a log line or a delivery's last_error. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
