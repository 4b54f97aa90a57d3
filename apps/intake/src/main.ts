// Before anything that loads @otklik/contracts (its payload classes use decorator metadata).
import 'reflect-metadata';
import { createLogger } from '@otklik/observability';
import { ConfigError, exitOnStartupError, loadServiceConfig, runService, ServiceConfig } from '@otklik/service-kit';
import { AppModule, INTAKE_HTTP } from './app.module';

function loadConfig(): ServiceConfig {
  try {
    return loadServiceConfig('intake');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`intake cannot start: ${error.message}\n`);
    process.exit(1);
  }
}

const config = loadConfig();
const logger = createLogger('intake', config.logLevel);
runService(AppModule.forConfig(config, logger), { config, logger, ...INTAKE_HTTP }).catch(
  exitOnStartupError(logger, 'intake'),
);
