import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/*
 * A real SMTP server on a loopback port (smtp-server), keeping every message it accepts, decoded
 * enough for assertions: the envelope, the Subject (RFC 2047 encoded words) and the plain-text
 * body (quoted-printable or base64, UTF-8), as nodemailer writes them. No TLS, no AUTH.
 */

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  raw: string;
}

export interface SmtpSink {
  /** SMTP_URL for the app. */
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedMail[];
  /** Stops listening: connections are refused, as with a mail server that is down. */
  close(): Promise<void>;
}

export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Uint8Array[] = [];
      stream.on('data', (chunk: Uint8Array) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const { subject, text } = decodeMessage(raw);
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject,
          text,
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${bound}`,
    port: bound,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Headers and body of a single-part message, decoded to text. */
export function decodeMessage(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = (split >= 0 ? raw.slice(0, split) : raw).replace(/\r\n[ \t]+/g, ' ');
  const body = split >= 0 ? raw.slice(split + 4) : '';
  const header = (name: string): string =>
    head
      .split('\r\n')
      .find((line) => line.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim() ?? '';
  const encoding = header('content-transfer-encoding').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : body;
  return { subject: decodeWords(header('subject')), text: text.replace(/\r\n/g, '\n').replace(/\n$/, '') };
}

function quotedPrintableBytes(ascii: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < ascii.length; i++) {
    if (ascii[i] === '=' && /^[0-9A-F]{2}$/i.test(ascii.slice(i + 1, i + 3))) {
      bytes.push(parseInt(ascii.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(ascii.charCodeAt(i));
    }
  }
  return Buffer.from(bytes);
}

function decodeQuotedPrintable(body: string): string {
  return quotedPrintableBytes(body.replace(/=\r?\n/g, '')).toString('utf8');
}

const ENCODED_WORD = /=\?[^?]+\?([BbQq])\?([^?]*)\?=/g;

/**
 * RFC 2047: `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=`. The space between two encoded words is not
 * text, and a character may be split across them: a run of words is decoded to bytes as one.
 */
function decodeWords(value: string): string {
  return value.replace(/(?:=\?[^?]+\?[BbQq]\?[^?]*\?=\s*)+/g, (run) => {
    const parts = [...run.matchAll(ENCODED_WORD)].map(([, kind, data]) =>
      kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : quotedPrintableBytes(data.replace(/_/g, ' ')),
    );
    const trailing = /\s*$/.exec(run)?.[0] ?? '';
    return Buffer.concat(parts.map((p) => new Uint8Array(p))).toString('utf8') + trailing;
  });
}
