import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { execute, parse } from 'graphql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { PinoNestLogger } from '@otklik/observability';
import type { ServiceConfig } from './service.config';

export interface RunServiceOptions {
  config: ServiceConfig;
  logger: Logger;
  /**
   * Path prefixes whose bodies stay raw Buffers (signed webhooks check the exact bytes, and
   * answer 404/401 before they parse anything); every other route parses JSON.
   */
  rawBodyPaths?: string[];
  /** Largest body accepted; larger ones get 413. */
  bodyLimit?: string;
}

/**
 * Starts a subgraph service, or, with OTKLIK_PRINT_SCHEMA=true, prints its federation SDL
 * (from `_service { sdl }`) to stdout and exits without touching the database or NATS.
 */
export async function runService(
  module: Type<unknown> | DynamicModule,
  options: RunServiceOptions,
): Promise<INestApplication | undefined> {
  const { config, logger } = options;
  if (config.printSchema) {
    const context = await NestFactory.createApplicationContext(module, { logger: false });
    const { schema } = context.get(GraphQLSchemaHost);
    const result = (await execute({ schema, document: parse('{ _service { sdl } }') })) as {
      data?: { _service: { sdl: string } };
      errors?: unknown[];
    };
    if (!result.data) throw new Error(`could not print the schema: ${JSON.stringify(result.errors)}`);
    process.stdout.write(result.data._service.sdl);
    await context.close();
    return undefined;
  }
  const app = await NestFactory.create<NestExpressApplication>(module, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  const limit = options.bodyLimit ?? '1mb';
  const rawPaths = options.rawBodyPaths ?? [];
  const isRaw = (req: Request) => rawPaths.some((p) => (req.path ?? req.url).startsWith(p));
  const json = express.json({ limit });
  const raw = express.raw({ type: () => true, limit });
  app.use((req: Request, res: Response, next: NextFunction) =>
    isRaw(req) ? raw(req, res, next) : json(req, res, next),
  );
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
  logger.info({ port: config.port }, `${config.service} listening`);
  return app;
}

/** For main.ts: a start-up failure is one clear log line and exit code 1. */
export function exitOnStartupError(logger: Logger, service: string) {
  return (error: unknown): never => {
    logger.fatal({ err: error }, `${service} could not start: ${(error as Error).message}`);
    process.exit(1);
  };
}
