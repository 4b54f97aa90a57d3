import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { headerValue } from '@otklik/auth';
import { CORRELATION_HEADER } from '@otklik/contracts';
import { newCorrelationId } from '@otklik/observability';
import { send } from './webhook.controller';
import { HttpAnswer, refusalAnswer } from './webhook.exception';
import { WebhookService } from './webhook.service';

const GENERIC_PATH = /^\/webhooks\/generic\/([^/]+)\/?$/;

/**
 * Under /webhooks every refusal is the webhooks' JSON `{ error }`, including those raised before
 * any controller runs: body-parser's (over 1 MiB: 413; a broken or unsupported encoding: 400,
 * 415) and a path no route serves (404). For body-parser's, an unknown source still answers 404
 * first, as the contract orders the checks. Registered globally because body-parser's errors
 * reach only global filters; everything outside /webhooks is left to Nest's own handling.
 */
@Catch(HttpException)
export class WebhookBodyFilter extends BaseExceptionFilter {
  constructor(private readonly webhooks: WebhookService) {
    super();
  }

  override catch(exception: HttpException, host: ArgumentsHost): void {
    // GraphQL errors are formatted by the GraphQL layer: returning nothing leaves them to it.
    if (host.getType() !== 'http') return;
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (!req.path.startsWith('/webhooks/')) {
      super.catch(exception, host);
      return;
    }
    // After a body-parser refusal the request-context middleware has not run (it comes later).
    if (!res.getHeader(CORRELATION_HEADER)) {
      const given = headerValue(req, CORRELATION_HEADER);
      res.setHeader(CORRELATION_HEADER, given && /^[A-Za-z0-9._:-]{1,100}$/.test(given) ? given : newCorrelationId());
    }
    void this.answer(exception, req).then(
      (answer) => send(res, answer),
      (error: unknown) => super.catch(error, host),
    );
  }

  private async answer(exception: HttpException, req: Request): Promise<HttpAnswer> {
    const status = exception.getStatus();
    const refused: HttpAnswer = {
      status,
      body: { error: status === 413 ? 'body larger than 1 MiB' : exception.message },
      headers: {},
    };
    const generic = GENERIC_PATH.exec(req.path);
    if (!generic || !isBodyParserRefusal(exception)) return refused;
    try {
      await this.webhooks.genericSource(decodePathSegment(generic[1]));
      return refused;
    } catch (error) {
      const refusal = refusalAnswer(error);
      if (!refusal) throw error;
      return refusal;
    }
  }
}

/** An http-error from body-parser, which Nest's Express adapter wraps with the original as its cause. */
function isBodyParserRefusal(exception: HttpException): boolean {
  const cause = exception.cause as { statusCode?: unknown } | undefined;
  return typeof cause?.statusCode === 'number';
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
