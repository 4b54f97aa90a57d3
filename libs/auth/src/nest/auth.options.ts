import type { IncomingHttpHeaders } from 'node:http';
import type { Viewer } from '../viewer.model';

export interface SubgraphAuthOptions {
  /** INTERNAL_AUTH_SECRET: verifies the gateway's viewer tokens and service tokens. */
  internalSecret: string;
}

export const AUTH_OPTIONS = 'OTKLIK_AUTH_OPTIONS';

/** The HTTP request as the guards see it; they add who is calling. */
export interface AuthenticatedRequest {
  headers: IncomingHttpHeaders;
  /** Set by SubgraphGuard / SubgraphAuthPlugin from VIEWER_HEADER. */
  viewer?: Viewer;
  /** Set by ServiceTokenGuard: the calling service's name. */
  service?: string;
}

export function headerValue(req: { headers: IncomingHttpHeaders }, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}
