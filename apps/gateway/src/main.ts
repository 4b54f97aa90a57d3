// Before anything that loads @otklik/contracts (its payload classes use decorator metadata).
import 'reflect-metadata';
import { createLogger } from '@otklik/observability';
import { ConfigError, loadGatewayConfig } from './config/gateway.config';
import { startGateway } from './gateway.app';

async function main(): Promise<void> {
  let config;
  try {
    config = loadGatewayConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger('gateway', config.logLevel);
  let gateway;
  try {
    gateway = await startGateway(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, `gateway failed to start: ${(error as Error).message}`);
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'stopping');
    gateway.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

void main();
