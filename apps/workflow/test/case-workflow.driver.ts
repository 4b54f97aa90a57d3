import { randomUUID } from 'node:crypto';
import type { Viewer } from '@otklik/auth';
import type { MessageAcceptedV1, Role } from '@otklik/contracts';
import { ALL_ORGS, callContext, orgsScope } from '@otklik/observability';
import { CaseWorkflowService } from '../src/cases/case-workflow.service';
import type { CaseEntity } from '../src/cases/case.entity';
import { CaseService } from '../src/cases/case.service';
import { StaffService } from '../src/staff/staff.service';
import type { WorkflowUnderTest } from './workflow.harness';

/**
 * Drives cases in-process to the state a test needs (opening them without the bus, taking
 * transitions as a given viewer), so that the test itself can exercise one step through HTTP.
 */
export class CaseWorkflowDriver {
  constructor(private readonly workflow: WorkflowUnderTest) {}

  get steps(): CaseWorkflowService {
    return this.workflow.app.get(CaseWorkflowService);
  }

  /** Runs `work` as `viewer` would reach the service: their organisations' scope, their login. */
  as<T>(viewer: Viewer, work: () => Promise<T>): Promise<T> {
    return callContext.run(
      {
        correlationId: `test-${randomUUID()}`,
        orgScope: orgsScope(viewer.visibleOrganizationIds),
        actor: viewer.login,
      },
      work,
    );
  }

  /** Opens a case for a new message of `organizationId`, as the message.accepted consumer does. */
  async open(organizationId: string, message: Partial<MessageAcceptedV1> = {}): Promise<CaseEntity> {
    const messageId = randomUUID();
    const opened = await callContext.run({ correlationId: `test-${messageId}`, orgScope: ALL_ORGS }, () =>
      this.workflow.app.get(CaseService).openForMessage(organizationId, {
        messageId,
        sourceId: 'demo-vk',
        platform: 'VK',
        externalId: `wall-1_${messageId}`,
        url: `https://vk.com/wall-1_1?reply=${messageId}`,
        text: 'Третий день нет воды на улице Ленина',
        postedAt: new Date().toISOString(),
        receivedAt: new Date().toISOString(),
        attachments: [],
        ...message,
      }),
    );
    if (!opened) throw new Error(`message ${messageId} opened no case`);
    return opened;
  }

  /** Adds a user holding `role` in `organizationId` (for organisations the demo staffs thinly). */
  async appoint(login: string, organizationId: string, role: Role): Promise<void> {
    await callContext.run({ correlationId: `appoint-${login}`, orgScope: ALL_ORGS }, async () => {
      const staff = this.workflow.app.get(StaffService);
      const user = { id: randomUUID(), login, displayName: login, email: `${login}@test.example` };
      await staff.addUser(user);
      const existing = await staff.memberByLogin(login);
      await staff.appoint({ ...user, id: existing?.user.id ?? user.id }, { organizationId, role });
    });
  }
}
