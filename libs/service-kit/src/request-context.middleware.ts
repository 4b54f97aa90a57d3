import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { AuthenticatedRequest, headerValue, verifyViewerToken } from '@otklik/auth';
import { CORRELATION_HEADER, VIEWER_HEADER } from '@otklik/contracts';
import { callContext, newCorrelationId, orgsScope } from '@otklik/observability';
import { SERVICE_CONFIG, ServiceConfig } from './service.config';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Runs the rest of the request inside a call context: the correlation id (taken from the
 * caller when it is well-formed) and, for GraphQL calls from the gateway, the viewer's
 * visible organisations, which every transaction hands to row-level security. A missing or
 * bad viewer token leaves the scope empty; the guard then refuses the call.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  use(req: IncomingMessage & AuthenticatedRequest, res: ServerResponse, next: () => void): void {
    const given = headerValue(req, CORRELATION_HEADER);
    const correlationId = given && CORRELATION_ID.test(given) ? given : newCorrelationId();
    res.setHeader(CORRELATION_HEADER, correlationId);
    const token = headerValue(req, VIEWER_HEADER);
    const viewer = token
      ? verifyViewerToken(token, this.config.internalSecret).catch(() => undefined)
      : Promise.resolve(undefined);
    void viewer.then((verified) => {
      if (verified) req.viewer = verified;
      callContext.run(
        { correlationId, orgScope: orgsScope(verified?.visibleOrganizationIds ?? []), actor: verified?.login },
        next,
      );
    });
  }
}
