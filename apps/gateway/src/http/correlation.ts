import { CORRELATION_HEADER } from '@otklik/contracts';
import { callContext, newCorrelationId, orgsScope } from '@otklik/observability';
import type { NextFunction, Request, Response } from 'express';

/** What a caller may pass as a correlation id; anything else is replaced (it ends up in logs and headers). */
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

export function correlationIdOf(value: string | undefined): string {
  return value && ACCEPTABLE.test(value) ? value : newCorrelationId();
}

/** Takes the caller's correlation id or makes one, echoes it, and runs the request in its call context (log lines carry it). */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const correlationId = correlationIdOf(req.header(CORRELATION_HEADER));
  res.locals.correlationId = correlationId;
  res.setHeader(CORRELATION_HEADER, correlationId);
  callContext.run({ correlationId, orgScope: orgsScope([]) }, next);
}
