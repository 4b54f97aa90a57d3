import { Module } from '@nestjs/common';
import { MessageLoader } from './message.loader';
import { MessageRepository } from './message.repository';
import { MessageResolver } from './message.resolver';
import { MessageService } from './message.service';

@Module({
  providers: [MessageRepository, MessageService, MessageLoader, MessageResolver],
  exports: [MessageService],
})
export class MessagesModule {}
