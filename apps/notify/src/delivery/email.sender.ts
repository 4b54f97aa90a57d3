import { createTransport, type Transporter } from 'nodemailer';
import { ChannelSender, describeError, failed, OutboundMessage, retry, SendOutcome, sent } from './channel.sender';
import type { EmailSettings } from './delivery.config';

/** nodemailer's error: the SMTP server's reply code and text when it answered. */
interface SmtpError {
  responseCode?: number;
  response?: string;
  code?: string;
}

/** A server that does not answer in these times is down for this attempt. */
const CONNECTION_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

/** E-mail through the SMTP server of SMTP_URL, one connection per message (nodemailer). */
export class EmailSender implements ChannelSender {
  readonly channel = 'EMAIL' as const;
  private readonly transport: Transporter;

  constructor(settings: EmailSettings) {
    this.transport = createTransport(
      {
        url: settings.url,
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        greetingTimeout: CONNECTION_TIMEOUT_MS,
        socketTimeout: SOCKET_TIMEOUT_MS,
      },
      { from: settings.from },
    );
  }

  async send(to: string, message: OutboundMessage): Promise<SendOutcome> {
    try {
      await this.transport.sendMail({ to, subject: message.subject, text: message.text });
      return sent();
    } catch (error) {
      return classify(error);
    }
  }

  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}

/**
 * SMTP's own rule (RFC 5321, 4.2.1): a 5xx reply is permanent (no such mailbox, refused), a 4xx
 * one transient; no reply at all (refused connection, timeout) is worth another attempt.
 */
export function classify(error: unknown): SendOutcome {
  const { responseCode, response, code } = error as SmtpError;
  if (typeof responseCode === 'number' && responseCode >= 500) {
    return failed(`почтовый сервер отказал: ${response ?? responseCode}`);
  }
  if (code === 'EENVELOPE' && responseCode === undefined) return failed(`адрес не принят: ${describeError(error)}`);
  if (typeof responseCode === 'number')
    return retry(`почтовый сервер временно не принял письмо: ${response ?? responseCode}`);
  return retry(`почтовый сервер недоступен (${code ?? describeError(error)})`);
}
