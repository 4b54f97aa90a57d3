import type { Express, Request } from 'express';
import type { IncomingMessage } from 'node:http';

/**
 * The client's address of a request Express did not route — the WebSocket upgrade — under the
 * app's 'trust proxy' setting (GATEWAY_TRUST_PROXY), read by Express's own `req.ip`, so HTTP and
 * WebSocket requests from one client count as one address.
 */
export function upgradeClientAddress(app: Express, req: IncomingMessage): string | undefined {
  const view = Object.create(app.request, {
    headers: { value: req.headers },
    socket: { value: req.socket },
  }) as Request;
  return view.ip ?? req.socket.remoteAddress;
}
