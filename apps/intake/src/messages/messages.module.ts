import { Module } from '@nestjs/common';
import { MessageLoader } from './message.loader';
import { MessageRepository } from './message.repository';
import { MessageResolver } from './message.resolver';
import { ScreeningResolver } from '../screening/screening.resolver';
import { MessageService } from './message.service';

@Module({
  providers: [MessageRepository, MessageService, MessageLoader, MessageResolver, ScreeningResolver],
  exports: [MessageService, MessageLoader],
})
export class MessagesModule {}
