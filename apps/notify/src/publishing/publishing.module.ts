import { Logger, Module } from '@nestjs/common';
import { publishers } from '@otklik/channels';
import { SecretBox } from '@otklik/secrets';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';
import { PublicationRequestedHandler } from './publication-requested.handler';
import { PublicationRepository } from './publication.repository';
import { PublisherDirectory } from './publisher.directory';
import { loadPublishingConfig, PUBLISHING_CONFIG, PublishingConfig } from './publishing.config';
import { PublishingService } from './publishing.service';
import { PublishingWorker } from './publishing.worker';
import { SourceChangedHandler } from './source-changed.handler';

/** Publishing approved answers under the citizens' messages (docs/publishing.md). */
@Module({
  providers: [
    {
      provide: PUBLISHING_CONFIG,
      // Read once as the app starts; a ConfigError stops it there, naming the setting.
      useFactory: (service: ServiceConfig): PublishingConfig => {
        const config = loadPublishingConfig(process.env, service.production);
        if (config.developmentKeys && !service.printSchema) {
          new Logger('PublishingModule').warn(
            'OTKLIK_SECRET_KEYS is not set: sources’ credentials are opened with the public development key (production refuses to start so)',
          );
        }
        return config;
      },
      inject: [SERVICE_CONFIG],
    },
    {
      provide: SecretBox,
      useFactory: (config: PublishingConfig) => new SecretBox(config.keyring),
      inject: [PUBLISHING_CONFIG],
    },
    {
      provide: PublisherDirectory,
      useFactory: (config: PublishingConfig) => new PublisherDirectory(publishers(config.apiUrls).values()),
      inject: [PUBLISHING_CONFIG],
    },
    PublicationRepository,
    PublishingService,
    PublishingWorker,
    PublicationRequestedHandler,
    SourceChangedHandler,
  ],
})
export class PublishingModule {}
