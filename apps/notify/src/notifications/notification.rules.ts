import type { CaseTransitionedV1, DeadlineAtRiskV1, DeadlineBreachedV1, Role } from '@otklik/contracts';
import {
  authorRepliedText,
  caseAssignedText,
  caseRegisteredText,
  caseReopenedText,
  caseRoutedText,
  caseThreatText,
  deadlineAtRiskText,
  deadlineBreachedText,
  draftReturnedText,
  draftSubmittedText,
  FALLBACK_TIME_ZONE,
  NotificationKind,
  publicationFailedText,
} from './notification.text';

/** Who is to be told, resolved against the recipients along the case's organisation path. */
export type Audience =
  /** One named person (absent when the event names nobody: then nobody is told). */
  | { type: 'user'; userId: string | undefined }
  /**
   * The holders of a role in the nearest organisation along the path that has any, but for the
   * person (login) who did what is announced: they need no telling.
   */
  | { type: 'nearest'; role: Role; except?: string }
  /** Every holder of a role in every organisation along the path. */
  | { type: 'along'; role: Role };

/** What one event tells whom: everyone in any of the audiences, once. */
export interface Notice {
  kind: NotificationKind;
  text: string;
  audiences: readonly Audience[];
  /** Nobody to tell is normal (the only receptionist registered the case themselves), not a gap to warn of. */
  mayReachNobody?: boolean;
}

const executor = (t: CaseTransitionedV1): Audience => ({ type: 'user', userId: t.executorUserId });

/** Who hears of a case's transition, and what; undefined when nobody does. */
export function transitionNotice(t: CaseTransitionedV1): Notice | undefined {
  switch (t.action) {
    case 'ROUTE':
      return {
        kind: NotificationKind.CASE_ROUTED,
        text: caseRoutedText(),
        audiences: [{ type: 'nearest', role: 'RECEPTION' }],
      };
    case 'REGISTER':
      // Next in line is whoever assigns the executor (cl. 7): the reception, other than who registered it.
      return {
        kind: NotificationKind.CASE_REGISTERED,
        text: caseRegisteredText(),
        audiences: [{ type: 'nearest', role: 'RECEPTION', except: t.actor }],
        mayReachNobody: true,
      };
    case 'ASSIGN':
    case 'REASSIGN':
      // The event names only the new executor; the previous one is not told (yet).
      return { kind: NotificationKind.CASE_ASSIGNED, text: caseAssignedText(), audiences: [executor(t)] };
    case 'SUBMIT_DRAFT':
      return {
        kind: NotificationKind.DRAFT_SUBMITTED,
        text: draftSubmittedText(),
        audiences: [{ type: 'nearest', role: 'OFFICIAL' }],
      };
    case 'RETURN_DRAFT':
      return { kind: NotificationKind.DRAFT_RETURNED, text: draftReturnedText(t.reason), audiences: [executor(t)] };
    case 'AUTHOR_REPLIED':
      return { kind: NotificationKind.AUTHOR_REPLIED, text: authorRepliedText(), audiences: [executor(t)] };
    case 'REOPEN':
      return { kind: NotificationKind.CASE_REOPENED, text: caseReopenedText(t.reason), audiences: [executor(t)] };
    case 'EXCLUDE':
      // cl. 11: threats notify the coordinator; the other reasons concern nobody beyond the official.
      return t.exclusionReasons?.includes('THREAT')
        ? {
            kind: NotificationKind.CASE_THREAT,
            text: caseThreatText(t.reason),
            audiences: [{ type: 'along', role: 'COORDINATOR' }],
          }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * A deadline at risk: the person responsible hears of it, or without one the officials. A
 * deadline breached: the person responsible, their official and their head (the nearest along
 * the case's path). `leftMinutes`: the working time left, when known, for the at-risk text.
 */
export function deadlineNotice(
  state: 'AT_RISK' | 'BREACHED',
  deadline: DeadlineAtRiskV1 | DeadlineBreachedV1,
  leftMinutes?: number,
): Notice {
  const dueAt = new Date(deadline.dueAt);
  const officials: Audience = { type: 'nearest', role: 'OFFICIAL' };
  const responsible: Audience[] = deadline.responsibleUserId
    ? [{ type: 'user', userId: deadline.responsibleUserId }]
    : [];
  return state === 'AT_RISK'
    ? {
        kind: NotificationKind.DEADLINE_AT_RISK,
        text: deadlineAtRiskText(deadline.kind, dueAt, FALLBACK_TIME_ZONE, leftMinutes),
        audiences: responsible.length > 0 ? responsible : [officials],
      }
    : {
        kind: NotificationKind.DEADLINE_BREACHED,
        text: deadlineBreachedText(deadline.kind, dueAt, FALLBACK_TIME_ZONE),
        audiences: [...responsible, officials, { type: 'nearest', role: 'HEAD' }],
      };
}

/** One person to tell, and the organisation their notification is kept under (one they can see). */
export interface Addressee {
  userId: string;
  organizationId: string;
}

/** A holder of a role somewhere along the path. */
export interface Holder extends Addressee {
  login: string;
}

/**
 * The people an audience stands for. `path` is the case's organisation then those above it,
 * nearest first; `holders` are the holders of the audience's role anywhere along it. A named
 * person's notification is kept under the case's organisation; anyone else's under the
 * organisation they hold the role in, which they see whatever the case's organisation is.
 */
export function addresseesOf(audience: Audience, path: readonly string[], holders: readonly Holder[]): Addressee[] {
  if (audience.type === 'user') return audience.userId ? [{ userId: audience.userId, organizationId: path[0] }] : [];
  const rank = (h: Addressee) => path.indexOf(h.organizationId);
  const along = holders.filter((h) => rank(h) >= 0).sort((a, b) => rank(a) - rank(b));
  // The nearest organisation is chosen before anyone is left out: the next in line sits there, not above.
  const chosen =
    audience.type === 'nearest'
      ? along.filter((h) => h.organizationId === along[0]?.organizationId && h.login !== audience.except)
      : along;
  // A person holding the role at two levels is told once, under the nearer one.
  const seen = new Set<string>();
  return chosen.flatMap((h) => {
    if (seen.has(h.userId)) return [];
    seen.add(h.userId);
    return [{ userId: h.userId, organizationId: h.organizationId }];
  });
}

/** An answer that could not be published: the nearest officials hear of it, who can retry or publish by hand. */
export function publicationFailedNotice(reason: string | undefined): Notice {
  return {
    kind: NotificationKind.PUBLICATION_FAILED,
    text: publicationFailedText(reason),
    audiences: [{ type: 'nearest', role: 'OFFICIAL' }],
  };
}
