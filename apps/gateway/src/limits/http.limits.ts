import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import { limitError, limitResponse } from './limit.errors';
import type { OperationLimits } from './limits.config';
import { sourceRefusal } from './operation.gate';
import type { OperationRequest } from './persisted.operations';

/**
 * What `/graphql` checks over HTTP before Apollo Server sees the request: the body's size (413
 * PAYLOAD_TOO_LARGE, before it is read whole), the batch, and each operation's tokens and place
 * in the allow-list. Refusals are GraphQL-shaped JSON with their HTTP status.
 */
export function httpOperationLimits(limits: OperationLimits): RequestHandler[] {
  const json = express.json({ limit: limits.maxBodyBytes });
  const parseBody: RequestHandler = (req, res, next) =>
    json(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type === 'entity.too.large') {
        return refuse(
          res,
          limitError('PAYLOAD_TOO_LARGE', `the request body is larger than ${limits.maxBodyBytes} bytes, the limit`, {
            limit: limits.maxBodyBytes,
          }),
        );
      }
      next(error);
    });
  const gate = (req: Request, res: Response, next: NextFunction) => {
    const body: unknown = req.method === 'GET' ? fromQueryString(req.query) : req.body;
    if (Array.isArray(body)) {
      const refusal = batchRefusal(body.length, limits.maxBatch);
      if (refusal) return refuse(res, refusal);
    }
    for (const operation of Array.isArray(body) ? body : [body]) {
      if (typeof operation !== 'object' || operation === null) continue; // Apollo Server answers malformed bodies.
      const refusal = sourceRefusal(operation as OperationRequest, limits);
      if (refusal) return refuse(res, refusal);
    }
    next();
  };
  return [parseBody, gate];
}

export function batchRefusal(size: number, maxBatch: number): GraphQLError | undefined {
  if (maxBatch === 1) {
    return limitError(
      'BATCH_TOO_LARGE',
      `batched requests are not accepted: send one operation per request (this batch holds ${size})`,
      { limit: 1, found: size },
    );
  }
  if (size <= maxBatch) return undefined;
  return limitError('BATCH_TOO_LARGE', `a batch holds at most ${maxBatch} operations; this one holds ${size}`, {
    limit: maxBatch,
    found: size,
  });
}

/** A GET operation: `query` and `extensions` (JSON) from the query string. */
function fromQueryString(query: Request['query']): OperationRequest {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  let extensions: unknown;
  try {
    extensions = text(query.extensions) && JSON.parse(text(query.extensions) as string);
  } catch {
    extensions = undefined; // Apollo Server answers the malformed parameter.
  }
  return { query: text(query.query), extensions };
}

function refuse(res: Response, error: GraphQLError): void {
  const { status, body } = limitResponse(error);
  res.status(status).json(body);
}
