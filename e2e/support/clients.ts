import { createHmac } from 'node:crypto';
import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLResponse<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export async function graphql<T>(
  url: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** Signs a body as a monitoring system would for the generic webhook (CONTRACT.md). */
export function signedWebhook(url: string, secret: string, body: unknown, correlationId?: string): Promise<Response> {
  const raw = JSON.stringify(body);
  const signature = createHmac('sha256', secret).update(raw).digest('hex');
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-otklik-signature': `sha256=${signature}`,
      ...(correlationId ? { 'otklik-correlation-id': correlationId } : {}),
    },
    body: raw,
  });
}

/** A graphql-ws subscription that collects what arrives. */
export class Subscription<T> {
  readonly received: T[] = [];
  readonly errors: unknown[] = [];
  private readonly client: Client;
  private dispose?: () => void;

  constructor(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
    this.client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: false,
    });
    this.started = new Promise<void>((resolve) => {
      const off = this.client.on('connected', () => {
        off();
        resolve();
      });
    });
    this.dispose = this.client.subscribe<T>(
      { query, variables },
      {
        next: (value) => (value.data ? this.received.push(value.data) : this.errors.push(value.errors)),
        error: (error) => this.errors.push(error),
        complete: () => undefined,
      },
    );
  }

  /** Resolves once the socket is open and acknowledged. */
  readonly started: Promise<void>;

  async close(): Promise<void> {
    this.dispose?.();
    await this.client.dispose();
  }
}
