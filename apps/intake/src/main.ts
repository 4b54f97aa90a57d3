// Before anything that loads @otklik/contracts (its payload classes use decorator metadata).
import 'reflect-metadata';
import { createLogger } from '@otklik/observability';
import { ConfigError, exitOnStartupError, loadServiceConfig, runService, ServiceConfig } from '@otklik/service-kit';
import { AppModule, INTAKE_HTTP } from './app.module';
import { FeedPollerSettings, loadFeedPollerSettings } from './feeds/feed.settings';
import { loadRetentionSettings, RetentionSettings } from './retention/retention.settings';
import { loadSourcesConfig } from './sources/sources.config';
import { loadWebhookRateLimitSettings } from './webhooks/webhook.rate-limit';

/** Every setting intake reads, checked before anything starts: a bad one stops it with one line naming it. */
function loadConfig(): { config: ServiceConfig; feeds: FeedPollerSettings; retention: RetentionSettings } {
  try {
    const config = loadServiceConfig('intake');
    const feeds = loadFeedPollerSettings(process.env);
    const retention = loadRetentionSettings(process.env);
    // Read again by SourcesModule as it starts; checked here so a bad keyring stops intake as plainly.
    loadSourcesConfig(process.env, config.production);
    loadWebhookRateLimitSettings(process.env); // read again by WebhooksModule, likewise
    return { config, feeds, retention };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`intake cannot start: ${error.message}\n`);
    process.exit(1);
  }
}

const { config, feeds, retention } = loadConfig();
const logger = createLogger('intake', config.logLevel);
runService(AppModule.forConfig(config, logger, feeds, retention), { config, logger, ...INTAKE_HTTP }).catch(
  exitOnStartupError(logger, 'intake'),
);
