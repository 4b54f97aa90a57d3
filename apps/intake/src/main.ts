// Before anything that loads @otklik/contracts (its payload classes use decorator metadata).
import 'reflect-metadata';
import { createLogger } from '@otklik/observability';
import { ConfigError, exitOnStartupError, loadServiceConfig, runService, ServiceConfig } from '@otklik/service-kit';
import { AppModule, INTAKE_HTTP } from './app.module';
import { FeedPollerSettings, loadFeedPollerSettings } from './feeds/feed.settings';
import { loadSourcesConfig } from './sources/sources.config';

/** Every setting intake reads, checked before anything starts: a bad one stops it with one line naming it. */
function loadConfig(): { config: ServiceConfig; feeds: FeedPollerSettings } {
  try {
    const config = loadServiceConfig('intake');
    const feeds = loadFeedPollerSettings(process.env);
    // Read again by SourcesModule as it starts; checked here so a bad keyring stops intake as plainly.
    loadSourcesConfig(process.env, config.production);
    return { config, feeds };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`intake cannot start: ${error.message}\n`);
    process.exit(1);
  }
}

const { config, feeds } = loadConfig();
const logger = createLogger('intake', config.logLevel);
runService(AppModule.forConfig(config, logger, feeds), { config, logger, ...INTAKE_HTTP }).catch(
  exitOnStartupError(logger, 'intake'),
);
