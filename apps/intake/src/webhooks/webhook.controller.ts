import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { headerValue } from '@otklik/auth';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature';
import { HttpAnswer, refusalAnswer } from './webhook.exception';
import { WebhookService } from './webhook.service';

/** Platforms' and monitoring systems' webhooks; bodies arrive as raw bytes (runService's rawBodyPaths). */
@Controller('webhooks')
export class WebhookController {
  constructor(private readonly webhooks: WebhookService) {}

  @Post('generic/:sourceId')
  async generic(@Param('sourceId') sourceId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const accepted = await this.webhooks.acceptGeneric({
        sourceId,
        body: rawBody(req),
        signature: headerValue(req, SIGNATURE_HEADER),
        timestamp: headerValue(req, TIMESTAMP_HEADER),
      });
      send(res, { status: 202, body: { ...accepted }, headers: {} });
    } catch (error) {
      const refusal = refusalAnswer(error);
      if (!refusal) throw error;
      send(res, refusal);
    }
  }
}

export function send(res: Response, answer: HttpAnswer): void {
  res.status(answer.status).set(answer.headers).json(answer.body);
}

/** The bytes body-parser kept (no body at all: none). */
export function rawBody(req: Request): Uint8Array {
  const body: unknown = req.body;
  return Buffer.isBuffer(body) ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : new Uint8Array(0);
}
