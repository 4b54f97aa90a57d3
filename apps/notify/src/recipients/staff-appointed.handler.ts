import { Injectable } from '@nestjs/common';
import { EventEnvelope, StaffAppointed, StaffAppointedV1 } from '@otklik/contracts';
import { EventHandler, HandlesEvent } from '@otklik/messaging';
import { RecipientService } from './recipient.service';

@Injectable()
@HandlesEvent(StaffAppointed, { durable: 'staff-projection' })
export class StaffAppointedHandler implements EventHandler<StaffAppointedV1> {
  constructor(private readonly recipients: RecipientService) {}

  handle(payload: StaffAppointedV1, envelope: EventEnvelope<StaffAppointedV1>): Promise<void> {
    return this.recipients.appoint(envelope, payload);
  }
}
