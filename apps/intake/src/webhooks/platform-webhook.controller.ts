import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { InboundRequest, PlatformReply } from '@otklik/channels';
import { rawBody, send } from './webhook.controller';
import { refusalAnswer } from './webhook.exception';
import { PlatformWebhookService } from './platform-webhook.service';

/**
 * `/webhooks/{platform}/{sourceId}`: each platform's own protocol, read by its connector
 * (libs/channels). Registered after the generic webhook, whose `generic/…` path it would match.
 */
@Controller('webhooks')
export class PlatformWebhookController {
  constructor(private readonly webhooks: PlatformWebhookService) {}

  @Get(':platform/:sourceId')
  get(
    @Param('platform') platform: string,
    @Param('sourceId') sourceId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.receive(platform, sourceId, req, res);
  }

  @Post(':platform/:sourceId')
  post(
    @Param('platform') platform: string,
    @Param('sourceId') sourceId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.receive(platform, sourceId, req, res);
  }

  private async receive(platform: string, sourceId: string, req: Request, res: Response): Promise<void> {
    try {
      reply(res, await this.webhooks.receive({ platform, sourceId, request: inboundRequest(req) }));
    } catch (error) {
      const refusal = refusalAnswer(error);
      if (!refusal) throw error;
      send(res, refusal);
    }
  }
}

function reply(res: Response, answer: PlatformReply): void {
  res.status(answer.status).type(answer.contentType).send(answer.body);
}

/** The request as a connector reads it: bytes, lower-case headers, and the query's plain strings. */
function inboundRequest(req: Request): InboundRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.query)) {
    if (typeof value === 'string') query[name] = value;
  }
  return { method: req.method === 'GET' ? 'GET' : 'POST', headers, query, body: rawBody(req) };
}
