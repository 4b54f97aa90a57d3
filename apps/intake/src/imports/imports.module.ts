import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { SourcesModule } from '../sources/sources.module';
import { ImportResolver } from './import.resolver';
import { ImportService } from './import.service';
import { MessageImportRepository } from './message-import.repository';

/** Import of a batch of messages from a CSV or XLSX file (REQUIREMENTS cl. 2). */
@Module({
  imports: [MessagesModule, SourcesModule],
  providers: [MessageImportRepository, ImportService, ImportResolver],
})
export class ImportsModule {}
