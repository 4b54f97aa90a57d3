import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { SecretBox } from '@otklik/secrets';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';
import { APP_LOGGER } from '../app.logger';
import { PublicSourcesController } from './public-sources.controller';
import { SourceAnnouncer } from './source.announcer';
import { SourceReannouncement } from './source.reannouncement';
import { SourceRegistryService } from './source-registry.service';
import { SourceRepository } from './source.repository';
import { SourceResolver } from './source.resolver';
import { SourceSecrets } from './source.secrets';
import { SourceService } from './source.service';
import { loadSourcesConfig, SOURCES_CONFIG, SourcesConfig } from './sources.config';

@Module({
  providers: [
    {
      provide: SOURCES_CONFIG,
      // Read once as the app starts; a ConfigError stops it there, naming the setting.
      useFactory: (service: ServiceConfig, logger: Logger): SourcesConfig => {
        const config = loadSourcesConfig(process.env, service.production);
        if (config.developmentKeys && !service.printSchema) {
          logger.warn(
            'OTKLIK_SECRET_KEYS is not set: sources’ secrets are sealed with the public development key (production refuses to start so)',
          );
        }
        return config;
      },
      inject: [SERVICE_CONFIG, APP_LOGGER],
    },
    {
      provide: SecretBox,
      useFactory: (config: SourcesConfig) => new SecretBox(config.keyring),
      inject: [SOURCES_CONFIG],
    },
    SourceSecrets,
    SourceAnnouncer,
    SourceReannouncement,
    SourceRepository,
    SourceService,
    SourceRegistryService,
    SourceResolver,
  ],
  controllers: [PublicSourcesController],
  exports: [SourceService, SourceRepository, SourceSecrets, SourceAnnouncer],
})
export class SourcesModule {}
