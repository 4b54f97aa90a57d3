import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { SourcesModule } from '../sources/sources.module';
import { RegistrationResolver } from './registration.resolver';
import { RegistrationService } from './registration.service';

@Module({
  imports: [MessagesModule, SourcesModule],
  providers: [RegistrationService, RegistrationResolver],
})
export class RegistrationModule {}
