import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  CalendarError,
  DeadlinePolicy,
  deadlinePolicy,
  deadlinePolicySettings,
  DeadlinePolicySettings,
} from '@otklik/calendar';
import { hasRole, Viewer } from '@otklik/auth';
import { ALL_ORGS, callContext } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { isUuid } from '../graphql/uuid';
import { OrganizationService } from '../organizations/organization.service';
import { DeadlinePolicyRepository } from './deadline-policy.repository';
import { DeadlinePolicyInEffect, DeadlinePolicyService } from './deadline-policy.service';
import { DeadlineException } from './deadline.exception';
import { DeadlineService } from './deadline.service';

/** setDeadlinePolicy's input: the organisation and the settings to change (null or absent: keep). */
export interface SetDeadlinePolicyRequest {
  organizationId: string;
  routeHours?: number | null;
  answerWorkingDays?: number | null;
  finalWorkingDays?: number | null;
  atRiskMinutes?: number | null;
  atRiskShare?: number | null;
}

/** The settings a request gives; GraphQL's explicit nulls count as not given. */
export function settingsOf(request: SetDeadlinePolicyRequest): DeadlinePolicySettings {
  const settings: Record<string, number> = {};
  for (const key of ['routeHours', 'answerWorkingDays', 'finalWorkingDays', 'atRiskMinutes', 'atRiskShare'] as const) {
    const value = request[key];
    if (value !== null && value !== undefined) settings[key] = value;
  }
  return settings;
}

/** The settings over `base`, or BAD_USER_INPUT listing every problem, each naming its setting. */
function validPolicy(settings: DeadlinePolicySettings, base: DeadlinePolicy): DeadlinePolicy {
  try {
    return deadlinePolicy(settings, base);
  } catch (error) {
    if (!(error instanceof CalendarError)) throw error;
    throw DeadlineException.badInput(`the deadline policy was not set: ${error.problems.join('; ')}`);
  }
}

/** Reading and setting an organisation's deadline policy (REQUIREMENTS "Deadlines"). */
@Injectable()
export class DeadlinePolicySettingsService {
  private readonly logger = new Logger(DeadlinePolicySettingsService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly stored: DeadlinePolicyRepository,
    private readonly policies: DeadlinePolicyService,
    private readonly deadlines: DeadlineService,
    private readonly organizations: OrganizationService,
  ) {}

  /** The policy in effect for an organisation the caller may see. */
  async inEffect(organizationId: string): Promise<DeadlinePolicyInEffect> {
    await this.assertVisible(organizationId);
    return (await this.policies.current(organizationId)).inEffect(organizationId);
  }

  /**
   * Sets the organisation's own policy: the settings given over the policy in effect now. The
   * caller must be a COORDINATOR of the organisation or of one above it. In one transaction it
   * stores the policy, appends the audit row and recomputes the open deadlines of the
   * organisations that follow it (it and those below it without a policy of their own). This
   * replica uses it at once; the others within DEADLINE_POLICY_CACHE_MS.
   */
  async set(
    request: SetDeadlinePolicyRequest,
    viewer: Viewer,
  ): Promise<{ inEffect: DeadlinePolicyInEffect; recomputed: number }> {
    const { organizationId } = request;
    await this.assertVisible(organizationId);
    const path = (await this.policies.current(organizationId)).pathOf(organizationId);
    if (!path.some((id) => hasRole(viewer, 'COORDINATOR', id)))
      throw DeadlineException.notCoordinatorOf(organizationId);
    const settings = settingsOf(request);
    // The organisations that follow the policy may lie beyond the coordinator's current scope
    // (one added below since the viewer's token), and the ancestors' policies do: the
    // visibility and role checks above are the authorisation; the change itself is system work.
    const caller = callContext.require();
    const result = await callContext.run({ ...caller, orgScope: ALL_ORGS }, () =>
      this.uow.run(async () => {
        await this.stored.lockPolicies();
        const before = await this.policies.inTransaction();
        const policy = validPolicy(settings, before.policyOf(organizationId));
        const now = new Date();
        const stored = deadlinePolicySettings(policy);
        await this.stored.upsertPolicy({ organizationId, policy: stored, updatedBy: viewer.login, updatedAt: now });
        await this.stored.appendChange({
          id: randomUUID(),
          organizationId,
          previous: before.ownSettingsOf(organizationId),
          policy: stored,
          changedBy: viewer.login,
          changedAt: now,
        });
        const after = await this.policies.inTransaction();
        const recomputed = await this.deadlines.recomputeOpenOf(after.governedBy(organizationId), after);
        return { inEffect: after.inEffect(organizationId), recomputed };
      }),
    );
    this.policies.invalidate();
    this.logger.log(
      `deadline policy of ${organizationId} set by ${viewer.login}: ${JSON.stringify(deadlinePolicySettings(result.inEffect.policy))}; ${result.recomputed} open deadlines rescheduled`,
    );
    return result;
  }

  private async assertVisible(organizationId: string): Promise<void> {
    if (!isUuid(organizationId)) throw DeadlineException.badInput(`"${organizationId}" is not an organisation id`);
    if (!(await this.organizations.byId(organizationId))) throw DeadlineException.organizationNotFound(organizationId);
  }
}
