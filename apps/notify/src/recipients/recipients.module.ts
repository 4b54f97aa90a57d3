import { Module } from '@nestjs/common';
import { RecipientRepository } from './recipient.repository';
import { RecipientService } from './recipient.service';
import { StaffAppointedHandler } from './staff-appointed.handler';

@Module({
  providers: [RecipientRepository, RecipientService, StaffAppointedHandler],
  exports: [RecipientService],
})
export class RecipientsModule {}
