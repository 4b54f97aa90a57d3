import { deadlinePolicySettings } from '@otklik/calendar';
import type { DeadlinePolicyInEffect } from './deadline-policy.service';
import { DeadlinePolicyModel } from './deadline-policy.model';

export function toDeadlinePolicyModel(
  inEffect: DeadlinePolicyInEffect,
  recomputedDeadlines: number | null = null,
): DeadlinePolicyModel {
  const settings = deadlinePolicySettings(inEffect.policy);
  return Object.assign(new DeadlinePolicyModel(), {
    organizationId: inEffect.organizationId,
    routeHours: settings.routeHours,
    answerWorkingDays: settings.answerWorkingDays,
    finalWorkingDays: settings.finalWorkingDays,
    atRiskMinutes: settings.atRiskMinutes ?? null,
    atRiskShare: settings.atRiskShare ?? null,
    definedByOrganizationId: inEffect.definedBy,
    updatedBy: inEffect.updatedBy,
    updatedAt: inEffect.updatedAt,
    recomputedDeadlines,
  });
}
