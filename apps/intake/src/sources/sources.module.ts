import { Module } from '@nestjs/common';
import { SourceRepository } from './source.repository';
import { SourceService } from './source.service';

@Module({
  providers: [SourceRepository, SourceService],
  exports: [SourceService, SourceRepository],
})
export class SourcesModule {}
