import { Injectable } from '@nestjs/common';
import type { EventEnvelope, Role, StaffAppointedV1 } from '@otklik/contracts';
import { UnitOfWork } from '@otklik/persistence';
import { RecipientEntity } from './recipient.entity';
import { RecipientRepository } from './recipient.repository';

/** Who may be told what: a projection of workflow's staff appointments. */
@Injectable()
export class RecipientService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly recipients: RecipientRepository,
  ) {}

  /** Records an appointment; replays are harmless (an upsert that keeps the newest). */
  appoint(envelope: EventEnvelope<StaffAppointedV1>, appointment: StaffAppointedV1): Promise<void> {
    if (appointment.organizationId !== envelope.organizationId) {
      // The subject (and so the tenant scope) names one organisation and the payload another: a producer bug.
      throw new Error(
        `StaffAppointed ${envelope.eventId} names organisation ${appointment.organizationId} in its payload ` +
          `but was published for ${envelope.organizationId}`,
      );
    }
    const recipient = Object.assign(new RecipientEntity(), {
      userId: appointment.userId,
      organizationId: appointment.organizationId,
      role: appointment.role,
      login: appointment.login,
      displayName: appointment.displayName,
      email: appointment.email ?? null,
      updatedAt: new Date(envelope.occurredAt),
    });
    return this.uow.run(() => this.recipients.upsert(recipient));
  }

  /** The authorised officials (cl. 4) of one organisation. */
  officialsOf(organizationId: string): Promise<RecipientEntity[]> {
    return this.uow.run(() => this.recipients.findByRole(organizationId, 'OFFICIAL'));
  }

  /**
   * The holders of a role in any of these organisations. Rows of organisations outside the
   * caller's tenant scope stay invisible: widen the scope first to look up the path.
   */
  holdersIn(organizationIds: readonly string[], role: Role): Promise<RecipientEntity[]> {
    return this.uow.run(() => this.recipients.findByRoleIn(organizationIds, role));
  }

  /**
   * Demo seeding: inserts these recipients when there are none at all. Replicas starting
   * together take turns on a lock, so only the first inserts. Returns how many were inserted.
   */
  seedIfEmpty(recipients: RecipientEntity[]): Promise<number> {
    return this.uow.run(async () => {
      await this.recipients.lockDemoSeed();
      if (!(await this.recipients.isEmpty())) return 0;
      await this.recipients.insertMissing(recipients);
      return recipients.length;
    });
  }
}
