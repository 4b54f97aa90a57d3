import { DynamicModule, Module } from '@nestjs/common';
import { RETENTION_SETTINGS, RetentionJob } from './retention.job';
import { RetentionRepository } from './retention.repository';
import type { RetentionSettings } from './retention.settings';

/** 152-FZ retention: raw platform payloads and old delivery records purged on a schedule. */
@Module({})
export class RetentionModule {
  static forSettings(settings: RetentionSettings): DynamicModule {
    return {
      module: RetentionModule,
      providers: [{ provide: RETENTION_SETTINGS, useValue: settings }, RetentionRepository, RetentionJob],
      exports: [RetentionJob],
    };
  }
}
