import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import {
  addressKey,
  createRateLimiter,
  parseRateLimit,
  plainRateLimitBody,
  RateLimitChoice,
  rateLimitMiddleware,
  rateLimitPoolOf,
  RateLimitSetting,
  RateLimitSettingError,
} from '@otklik/rate-limit';
import { ConfigError } from '@otklik/service-kit';
import { APP_LOGGER } from '../app.logger';
import { SourceService } from '../sources/source.service';

/** Injection token of WebhookRateLimitSettings. */
export const WEBHOOK_RATE_LIMITS = Symbol('WebhookRateLimitSettings');

/** How many webhook requests intake takes, counted across its replicas (read once at start, STYLE.md §6). */
export interface WebhookRateLimitSettings {
  /** INTAKE_WEBHOOK_RATE_LIMIT (default 1200/60s): requests per source, whatever they carry. */
  perSource: RateLimitSetting | null;
  /** INTAKE_WEBHOOK_UNKNOWN_SOURCE_RATE_LIMIT (default 300/60s): requests naming no source, per client address. */
  unknownSourcePerAddress: RateLimitSetting | null;
}

export const WEBHOOK_RATE_LIMIT_DEFAULTS = { perSource: '1200/60s', unknownSourcePerAddress: '300/60s' };

/** A bad value is a ConfigError naming the setting: intake stops at start. */
export function loadWebhookRateLimitSettings(env: NodeJS.ProcessEnv): WebhookRateLimitSettings {
  const read = (name: string, fallback: string) => {
    const raw = env[name]?.trim();
    try {
      return parseRateLimit(raw ? raw : fallback);
    } catch (error) {
      if (error instanceof RateLimitSettingError) throw new ConfigError(name, error.problem);
      throw error;
    }
  };
  return {
    perSource: read('INTAKE_WEBHOOK_RATE_LIMIT', WEBHOOK_RATE_LIMIT_DEFAULTS.perSource),
    unknownSourcePerAddress: read(
      'INTAKE_WEBHOOK_UNKNOWN_SOURCE_RATE_LIMIT',
      WEBHOOK_RATE_LIMIT_DEFAULTS.unknownSourcePerAddress,
    ),
  };
}

/** `/webhooks/{generic|platform}/{sourceId}`: the routes of both webhook controllers. */
const WEBHOOK_PATH = /^\/webhooks\/[^/]+\/([^/]+)\/?$/;

/** The source id a webhook's path names; undefined for any other path. */
export function webhookSourceId(originalUrl: string): string | undefined {
  const match = WEBHOOK_PATH.exec(originalUrl.split(/[?#]/, 1)[0]);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/**
 * Webhooks are counted before anything of their request is checked or stored — signature,
 * JSON, message — so a flood costs a cached source lookup and one counter update, and is
 * answered 429 with Retry-After and the webhooks' `{ error }` (with `limit` and
 * `retryAfterSeconds`). A known source (enabled or not) counts against its own budget, whoever
 * sends; a path naming no source counts against the sender's address, so a flood of random ids
 * is limited too. Counters are shared by the replicas in intake.rate_limits.
 */
@Injectable()
export class WebhookRateLimitMiddleware implements NestMiddleware {
  private handler?: RequestHandler;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sources: SourceService,
    @Inject(WEBHOOK_RATE_LIMITS) private readonly settings: WebhookRateLimitSettings,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    // Built at the first request: the data source is connected by then.
    this.handler ??= this.build();
    this.handler(req, res, next);
  }

  private build(): RequestHandler {
    const pool = rateLimitPoolOf(this.dataSource);
    const logger = this.logger.child({ component: 'rate-limit' });
    const perSource = createRateLimiter({
      pool,
      schema: 'intake',
      name: 'source',
      setting: this.settings.perSource,
      logger,
    });
    const unknownSource = createRateLimiter({
      pool,
      schema: 'intake',
      name: 'unknown-source',
      setting: this.settings.unknownSourcePerAddress,
      logger,
    });
    return rateLimitMiddleware({
      choose: async (req): Promise<RateLimitChoice> => {
        const sourceId = webhookSourceId(req.originalUrl);
        if (sourceId === undefined) return undefined;
        // The lookup the webhook makes next anyway (cached, unknown ids too). While the database
        // is away it fails: counted per source; the webhook answers 503.
        const known = await this.sources.findForWebhook(sourceId).then(
          (source) => source !== null,
          () => true,
        );
        return known
          ? { limit: perSource, key: sourceId }
          : { limit: unknownSource, key: addressKey(req.ip ?? req.socket.remoteAddress) };
      },
      body: plainRateLimitBody,
    });
  }
}
