import { Controller, Get, Param, Put, Req, Res, UseGuards } from '@nestjs/common';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { ServiceTokenGuard } from '@otklik/auth';
import { AttachmentException } from './attachment.exception';
import { AttachmentService } from './attachment.service';

const contentLengthOf = (req: Request): number | undefined => {
  const raw = req.header('content-length');
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
};

/**
 * `PUT /internal/attachments/:key` and `GET /internal/attachments/:key` — the gateway passes on
 * the bytes of `/attachments/:key` once it has checked the URL's signature (local storage; an
 * S3 bucket is reached by presigned URLs instead). Only other Otklik services may call (service
 * token). Refusals are JSON `{ error, code, reason? }` with the HTTP status that fits.
 */
@Controller('internal/attachments')
@UseGuards(ServiceTokenGuard)
export class AttachmentController {
  constructor(private readonly attachments: AttachmentService) {}

  @Put(':key')
  async upload(@Param('key') key: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const attachment = await this.attachments.receive(key, req, {
        contentType: req.header('content-type'),
        contentLength: contentLengthOf(req),
      });
      res.status(201).json({ attachmentId: attachment.id, size: attachment.size, contentType: attachment.contentType });
    } catch (error) {
      refuse(res, error);
    }
  }

  @Get(':key')
  async download(@Param('key') key: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    let opened;
    try {
      opened = await this.attachments.open(key, req.header('range'));
    } catch (error) {
      refuse(res, error);
      return;
    }
    const { attachment, object } = opened;
    res.status(object.range ? 206 : 200);
    res.setHeader('content-type', attachment.contentType);
    res.setHeader('accept-ranges', 'bytes');
    res.setHeader('x-content-type-options', 'nosniff');
    if (object.range) {
      res.setHeader('content-range', `bytes ${object.range.start}-${object.range.end}/${object.size}`);
      res.setHeader('content-length', String(object.range.end - object.range.start + 1));
    } else {
      res.setHeader('content-length', String(object.size));
    }
    if (attachment.fileName) {
      res.setHeader('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`);
    }
    // A reader that goes away mid-file (a player seeking, a closed tab) ends the stream; nothing to answer.
    await pipeline(object.body, res).catch(() => res.destroy());
  }
}

function refuse(res: Response, error: unknown): void {
  if (!(error instanceof AttachmentException)) throw error;
  if (error.httpStatus === 416 && typeof error.details?.size === 'number') {
    res.setHeader('content-range', `bytes */${error.details.size}`);
  }
  res.status(error.httpStatus).json({
    error: error.message,
    code: error.code,
    ...(typeof error.details?.reason === 'string' ? { reason: error.details.reason } : {}),
  });
}
