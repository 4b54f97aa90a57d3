import { signServiceToken } from '@otklik/auth';
import { CORRELATION_HEADER, SERVICE_HEADER } from '@otklik/contracts';
import type { Logger } from '@otklik/observability';
import { checkUrlToken, UrlAccess } from '@otklik/storage';
import express, { Request, Response } from 'express';
import { IncomingMessage, OutgoingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { correlationMiddleware } from '../http/correlation';

export interface AttachmentRoutesOptions {
  /** WORKFLOW_URL without `/graphql`: where `/internal/attachments/:key` lives. */
  workflowBaseUrl: string;
  /** INTERNAL_AUTH_SECRET: checks the URLs workflow signed, signs the service token. */
  internalSecret: string;
  logger: Pick<Logger, 'error'>;
  now?: () => Date;
}

/** What the client is told about workflow's answer (and nothing else of it). */
const PASSED_BACK = [
  'content-type',
  'content-length',
  'content-range',
  'accept-ranges',
  'content-disposition',
  'x-content-type-options',
];
const PASSED_ON: Record<UrlAccess, string[]> = { put: ['content-type', 'content-length'], get: ['range'] };

const AGAIN: Record<UrlAccess, string> = {
  put: 'ask for a new upload with createAttachmentUpload',
  get: 'read the draft again for a fresh link',
};

/** `{ error }` as JSON; a refused upload also closes the connection, so the client stops sending. */
function refuse(req: Request, res: Response, status: number, error: string): void {
  if (!req.complete) res.setHeader('connection', 'close');
  res.status(status).json({ error });
}

/**
 * `PUT /attachments/:key?token=…` and `GET /attachments/:key?token=…` — the URLs of attachments
 * kept on workflow's local disk (createAttachmentUpload hands out the first, a draft's attachment
 * carries the second). The signed token is checked here, before a byte is passed on; then the
 * request streams to workflow's `/internal/attachments/:key` with the gateway's service token,
 * and workflow's answer (its checks of type and size included) streams back. Nothing is buffered.
 */
export function createAttachmentRoutes(options: AttachmentRoutesOptions): express.Router {
  const router = express.Router();

  const pass = async (access: UrlAccess, key: string, req: Request, res: Response, expiresAt: Date) => {
    const target = new URL(`${options.workflowBaseUrl}/internal/attachments/${encodeURIComponent(key)}`);
    const headers: OutgoingHttpHeaders = {
      [SERVICE_HEADER]: await signServiceToken('gateway', options.internalSecret),
      [CORRELATION_HEADER]: res.locals.correlationId as string,
    };
    for (const name of PASSED_ON[access]) if (req.headers[name] !== undefined) headers[name] = req.headers[name];
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(target, { method: access === 'put' ? 'PUT' : 'GET', headers });

    upstream.on('response', (answer: IncomingMessage) => {
      res.status(answer.statusCode ?? 502);
      for (const name of PASSED_BACK) {
        const value = answer.headers[name];
        if (value !== undefined) res.setHeader(name, value);
      }
      if (access === 'get' && answer.statusCode && answer.statusCode < 300) {
        const seconds = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
        res.setHeader('cache-control', `private, max-age=${seconds}`);
      }
      // Workflow answered before the upload ended (it refused it): stop taking the client's bytes.
      if (access === 'put' && !req.complete) {
        req.unpipe(upstream);
        res.setHeader('connection', 'close');
      }
      pipeline(answer, res).catch(() => res.destroy());
    });
    upstream.on('error', (error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      options.logger.error({ err: error, key }, 'attachment: workflow did not answer');
      refuse(req, res, 502, 'the file store did not answer; try again in a moment');
    });

    if (access === 'get') {
      upstream.end();
      return;
    }
    // A client that goes away mid-upload: workflow keeps nothing of it.
    req.once('aborted', () => upstream.destroy());
    req.pipe(upstream);
  };

  const route = (access: UrlAccess) => (req: Request, res: Response) => {
    const key = String(req.params.key);
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    const check = checkUrlToken(token, options.internalSecret, access, key, options.now?.());
    if (!check.ok) {
      const why = check.reason === 'expired' ? 'this link has expired' : 'this link is not valid for this file';
      refuse(req, res, 403, `${why}: ${AGAIN[access]}`);
      return;
    }
    pass(access, key, req, res, check.expiresAt).catch((error: unknown) => {
      options.logger.error({ err: error, key }, 'attachment: could not pass the request on');
      if (res.headersSent) res.destroy();
      else refuse(req, res, 500, 'the file could not be passed on; try again in a moment');
    });
  };

  router.put('/attachments/:key', correlationMiddleware, route('put'));
  router.get('/attachments/:key', correlationMiddleware, route('get'));
  return router;
}
