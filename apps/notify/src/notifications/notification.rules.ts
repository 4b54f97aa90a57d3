import type { CaseTransitionedV1, DeadlineAtRiskV1, DeadlineBreachedV1, Role } from '@otklik/contracts';
import {
  authorRepliedText,
  caseAssignedText,
  caseReopenedText,
  caseRoutedText,
  caseThreatText,
  deadlineAtRiskText,
  deadlineBreachedText,
  draftReturnedText,
  draftSubmittedText,
  FALLBACK_TIME_ZONE,
  NotificationKind,
} from './notification.text';

/** Who is to be told, resolved against the recipients along the case's organisation path. */
export type Audience =
  /** One named person (absent when the event names nobody: then nobody is told). */
  | { type: 'user'; userId: string | undefined }
  /** The holders of a role in the nearest organisation along the path that has any. */
  | { type: 'nearest'; role: Role }
  /** Every holder of a role in every organisation along the path. */
  | { type: 'along'; role: Role };

/** What one event tells whom. */
export interface Notice {
  kind: NotificationKind;
  text: string;
  audience: Audience;
}

const executor = (t: CaseTransitionedV1): Audience => ({ type: 'user', userId: t.executorUserId });

/** Who hears of a case's transition, and what; undefined when nobody does. */
export function transitionNotice(t: CaseTransitionedV1): Notice | undefined {
  switch (t.action) {
    case 'ROUTE':
      return {
        kind: NotificationKind.CASE_ROUTED,
        text: caseRoutedText(),
        audience: { type: 'nearest', role: 'RECEPTION' },
      };
    case 'ASSIGN':
    case 'REASSIGN':
      // The event names only the new executor; the previous one is not told (yet).
      return { kind: NotificationKind.CASE_ASSIGNED, text: caseAssignedText(), audience: executor(t) };
    case 'SUBMIT_DRAFT':
      return {
        kind: NotificationKind.DRAFT_SUBMITTED,
        text: draftSubmittedText(),
        audience: { type: 'nearest', role: 'OFFICIAL' },
      };
    case 'RETURN_DRAFT':
      return { kind: NotificationKind.DRAFT_RETURNED, text: draftReturnedText(t.reason), audience: executor(t) };
    case 'AUTHOR_REPLIED':
      return { kind: NotificationKind.AUTHOR_REPLIED, text: authorRepliedText(), audience: executor(t) };
    case 'REOPEN':
      return { kind: NotificationKind.CASE_REOPENED, text: caseReopenedText(t.reason), audience: executor(t) };
    case 'EXCLUDE':
      // cl. 11: threats notify the coordinator; the other reasons concern nobody beyond the official.
      return t.exclusionReasons?.includes('THREAT')
        ? {
            kind: NotificationKind.CASE_THREAT,
            text: caseThreatText(t.reason),
            audience: { type: 'along', role: 'COORDINATOR' },
          }
        : undefined;
    default:
      return undefined;
  }
}

/** The person responsible for a deadline hears that it is at risk or breached; without one, the officials. */
export function deadlineNotice(state: 'AT_RISK' | 'BREACHED', deadline: DeadlineAtRiskV1 | DeadlineBreachedV1): Notice {
  const dueAt = new Date(deadline.dueAt);
  const audience: Audience = deadline.responsibleUserId
    ? { type: 'user', userId: deadline.responsibleUserId }
    : { type: 'nearest', role: 'OFFICIAL' };
  return state === 'AT_RISK'
    ? {
        kind: NotificationKind.DEADLINE_AT_RISK,
        text: deadlineAtRiskText(deadline.kind, dueAt, FALLBACK_TIME_ZONE),
        audience,
      }
    : {
        kind: NotificationKind.DEADLINE_BREACHED,
        text: deadlineBreachedText(deadline.kind, dueAt, FALLBACK_TIME_ZONE),
        audience,
      };
}

/** One person to tell, and the organisation their notification is kept under (one they can see). */
export interface Addressee {
  userId: string;
  organizationId: string;
}

/**
 * The people an audience stands for. `path` is the case's organisation then those above it,
 * nearest first; `holders` are the holders of the audience's role anywhere along it. A named
 * person's notification is kept under the case's organisation; anyone else's under the
 * organisation they hold the role in, which they see whatever the case's organisation is.
 */
export function addresseesOf(audience: Audience, path: readonly string[], holders: readonly Addressee[]): Addressee[] {
  if (audience.type === 'user') return audience.userId ? [{ userId: audience.userId, organizationId: path[0] }] : [];
  const rank = (h: Addressee) => path.indexOf(h.organizationId);
  const along = holders.filter((h) => rank(h) >= 0).sort((a, b) => rank(a) - rank(b));
  const chosen =
    audience.type === 'nearest' ? along.filter((h) => h.organizationId === along[0]?.organizationId) : along;
  // A person holding the role at two levels is told once, under the nearer one.
  const seen = new Set<string>();
  return chosen.flatMap((h) => {
    if (seen.has(h.userId)) return [];
    seen.add(h.userId);
    return [{ userId: h.userId, organizationId: h.organizationId }];
  });
}
