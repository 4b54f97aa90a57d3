import type { CaseAction, CaseStatus, DraftKind, Role } from '@otklik/contracts';
import type { DeadlineKind } from '../deadlines/deadline.policy';

/**
 * The life of a case (REQUIREMENTS "What a case goes through", clauses 4–11 and 18), whole, in
 * one table: from which statuses each action may be taken, to which status it leads, who may
 * take it, what it needs, and which deadlines it starts, settles (MET or MISSED by the clock) or
 * cancels. CaseWorkflowService applies the table and nothing else decides a transition.
 *
 * Who: a role held in the case's organisation or any organisation above it; `EXECUTOR_OF_CASE`
 * is the executor assigned to the case; `SYSTEM` is workflow itself (no person may take it).
 */
export type Actor = Role | 'EXECUTOR_OF_CASE' | 'SYSTEM';

export interface Outcome {
  /** The status after; `SAME` keeps it (a reassignment, a link, a recorded publication). */
  readonly to: CaseStatus | 'SAME';
  readonly starts: readonly DeadlineKind[];
  readonly settles: readonly DeadlineKind[];
  readonly cancels: readonly DeadlineKind[];
}

export interface TransitionRule extends Outcome {
  readonly action: CaseAction;
  /** The GraphQL mutation that takes it (for messages), or `—` for workflow's own. */
  readonly mutation: string;
  readonly from: readonly CaseStatus[];
  readonly who: readonly Actor[];
  readonly needs: string;
  /** APPROVE_DRAFT only: the outcome by the approved draft's kind. */
  readonly byDraftKind?: Readonly<Record<DraftKind, Outcome>>;
}

/** Statuses in which a case is still being worked on. */
export const OPEN_STATUSES: readonly CaseStatus[] = [
  'DETECTED',
  'ROUTED',
  'REGISTERED',
  'ASSIGNED',
  'DRAFT_SUBMITTED',
  'AWAITING_FINAL',
  'AWAITING_AUTHOR',
];
const ANY_STATUS: readonly CaseStatus[] = [...OPEN_STATUSES, 'ANSWERED', 'CLOSED', 'DISMISSED', 'EXCLUDED'];
const ALL_DEADLINES_BUT_ROUTE: readonly DeadlineKind[] = ['DRAFT', 'ANSWER', 'FINAL'];
const none: readonly DeadlineKind[] = [];

const rule = (r: Omit<TransitionRule, 'starts' | 'settles' | 'cancels'> & Partial<Outcome>): TransitionRule => ({
  starts: none,
  settles: none,
  cancels: none,
  ...r,
});

export const TRANSITIONS: Readonly<Record<CaseAction, TransitionRule>> = {
  OPEN: rule({
    action: 'OPEN',
    mutation: '—',
    from: [],
    to: 'DETECTED',
    who: ['SYSTEM'],
    needs: 'an accepted message (intake’s message.accepted)',
    starts: ['ROUTE'],
  }),
  ROUTE: rule({
    action: 'ROUTE',
    mutation: 'routeCase',
    from: ['DETECTED', 'ROUTED'],
    to: 'ROUTED',
    who: ['OFFICIAL'],
    needs: 'the reception or subdivision: the case’s organisation or one below the official’s (cl. 5)',
    settles: ['ROUTE'],
  }),
  REGISTER: rule({
    action: 'REGISTER',
    mutation: 'registerCase',
    from: ['ROUTED'],
    to: 'REGISTERED',
    who: ['RECEPTION'],
    needs: 'nothing; a repeat with a pre-set executor is assigned to them at once (cl. 9)',
    starts: ['ANSWER'],
  }),
  ASSIGN: rule({
    action: 'ASSIGN',
    mutation: 'assignCase',
    from: ['REGISTERED'],
    to: 'ASSIGNED',
    who: ['RECEPTION'],
    needs: 'an executor: a person with the EXECUTOR role in the case’s organisation or above (cl. 7)',
    starts: ['DRAFT'],
  }),
  REASSIGN: rule({
    action: 'REASSIGN',
    mutation: 'assignCase',
    from: ['ASSIGNED', 'DRAFT_SUBMITTED', 'AWAITING_FINAL', 'AWAITING_AUTHOR'],
    to: 'SAME',
    who: ['RECEPTION', 'OFFICIAL'],
    needs: 'another executor and the reason for the change; open deadlines pass to them (cl. 18)',
  }),
  SUBMIT_DRAFT: rule({
    action: 'SUBMIT_DRAFT',
    mutation: 'submitDraft',
    from: ['ASSIGNED', 'AWAITING_FINAL'],
    to: 'DRAFT_SUBMITTED',
    who: ['EXECUTOR_OF_CASE'],
    needs:
      'text within the platform’s limits (cl. 10); the measures taken on a repeat (cl. 9); only a FINAL draft once an interim answer is out (cl. 8)',
    settles: ['DRAFT'],
  }),
  RETURN_DRAFT: rule({
    action: 'RETURN_DRAFT',
    mutation: 'returnDraft',
    from: ['DRAFT_SUBMITTED'],
    to: 'ASSIGNED',
    who: ['OFFICIAL'],
    needs: 'a comment saying what to change',
    starts: ['DRAFT'],
  }),
  APPROVE_DRAFT: rule({
    action: 'APPROVE_DRAFT',
    mutation: 'approveDraft',
    from: ['DRAFT_SUBMITTED'],
    to: 'ANSWERED',
    who: ['OFFICIAL'],
    needs: 'nothing: the submitted draft is published (publication.requested) as its kind says',
    byDraftKind: {
      FINAL: { to: 'ANSWERED', starts: none, settles: ['ANSWER', 'FINAL'], cancels: none },
      INTERIM: { to: 'AWAITING_FINAL', starts: ['FINAL'], settles: ['ANSWER'], cancels: none },
      CLARIFICATION: { to: 'AWAITING_AUTHOR', starts: none, settles: ['ANSWER'], cancels: none },
    },
  }),
  AUTHOR_REPLIED: rule({
    action: 'AUTHOR_REPLIED',
    mutation: '—',
    from: ['AWAITING_AUTHOR'],
    to: 'ASSIGNED',
    who: ['SYSTEM'],
    needs: 'a new message of the author in the same thread, or from the same author on the same source (cl. 7)',
    starts: ['ANSWER', 'DRAFT'],
  }),
  CLOSE: rule({
    action: 'CLOSE',
    mutation: 'closeCase',
    from: ['ANSWERED'],
    to: 'CLOSED',
    who: ['OFFICIAL'],
    needs: 'nothing',
  }),
  REOPEN: rule({
    action: 'REOPEN',
    mutation: 'reopenCase',
    from: ['ANSWERED', 'CLOSED'],
    to: 'ASSIGNED',
    who: ['OFFICIAL'],
    needs: 'the reason (the author wrote again); the case goes back to its executor',
    starts: ['ANSWER', 'DRAFT'],
  }),
  EXCLUDE: rule({
    action: 'EXCLUDE',
    mutation: 'excludeCase',
    from: OPEN_STATUSES,
    to: 'EXCLUDED',
    who: ['OFFICIAL'],
    needs: 'at least one reason of cl. 11; a THREAT is told to the coordinator',
    settles: ['ROUTE'],
    cancels: ALL_DEADLINES_BUT_ROUTE,
  }),
  DISMISS: rule({
    action: 'DISMISS',
    mutation: 'dismissCase',
    from: ['DETECTED', 'ROUTED', 'REGISTERED'],
    to: 'DISMISSED',
    who: ['OFFICIAL'],
    needs: 'the reason it is not critical',
    settles: ['ROUTE'],
    cancels: ALL_DEADLINES_BUT_ROUTE,
  }),
  LINK: rule({
    action: 'LINK',
    mutation: 'linkCases',
    from: ANY_STATUS,
    to: 'SAME',
    who: ['OFFICIAL', 'RECEPTION', 'EXECUTOR_OF_CASE'],
    needs: 'another case the person may see',
  }),
  UNLINK: rule({
    action: 'UNLINK',
    mutation: 'unlinkCases',
    from: ANY_STATUS,
    to: 'SAME',
    who: ['OFFICIAL', 'RECEPTION', 'EXECUTOR_OF_CASE'],
    needs: 'a linked case',
  }),
  RECORD_PUBLICATION: rule({
    action: 'RECORD_PUBLICATION',
    mutation: 'recordManualPublication',
    from: ['ANSWERED', 'AWAITING_FINAL', 'AWAITING_AUTHOR', 'CLOSED'],
    to: 'SAME',
    who: ['OFFICIAL'],
    needs: 'the address of the answer the official published by hand',
  }),
  ANSWER_PUBLISHED: rule({
    action: 'ANSWER_PUBLISHED',
    mutation: '—',
    from: ANY_STATUS,
    to: 'SAME',
    who: ['SYSTEM'],
    needs: 'notify’s report (publication.completed PUBLISHED): the answer stands under the citizen’s message',
  }),
  PUBLICATION_FAILED: rule({
    action: 'PUBLICATION_FAILED',
    mutation: '—',
    from: ANY_STATUS,
    to: 'SAME',
    who: ['SYSTEM'],
    needs: 'notify’s report (publication.completed FAILED) with the reason; the official is told',
  }),
  RETRY_PUBLICATION: rule({
    action: 'RETRY_PUBLICATION',
    mutation: 'retryPublication',
    from: ['ANSWERED', 'AWAITING_FINAL', 'AWAITING_AUTHOR', 'CLOSED'],
    to: 'SAME',
    who: ['OFFICIAL'],
    needs: 'a FAILED publication (or one left to be published by hand): the approved draft is requested again',
  }),
};

/** The outcome of taking `rule` (for APPROVE_DRAFT, with the draft's kind). */
export function outcomeOf(rule: TransitionRule, draftKind?: DraftKind): Outcome {
  if (rule.byDraftKind) {
    if (!draftKind) throw new Error(`${rule.action} needs the draft's kind`);
    return rule.byDraftKind[draftKind];
  }
  return rule;
}

/** The mutations a person may call on a case in `status` (for the CONFLICT message). */
export function mutationsFrom(status: CaseStatus): string[] {
  const names = Object.values(TRANSITIONS)
    .filter((r) => r.mutation !== '—' && r.from.includes(status) && r.to !== 'SAME')
    .map((r) => r.mutation);
  return [...new Set(names)];
}

/** The table as Markdown, for docs/cases.md (a unit test keeps the document equal to this). */
export function transitionsMarkdown(): string {
  const list = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : '—');
  const rows = Object.values(TRANSITIONS).flatMap((rule) => {
    const outcomes = rule.byDraftKind
      ? Object.entries(rule.byDraftKind).map(([kind, o]) => ({ label: `${rule.mutation} (${kind})`, o }))
      : [{ label: rule.mutation, o: rule as Outcome }];
    return outcomes.map(
      ({ label, o }) =>
        `| ${label === '—' ? `(${rule.action.toLowerCase().replace(/_/g, ' ')})` : `\`${label}\``} | ${list(rule.from)} | ` +
        `${o.to === 'SAME' ? 'same' : o.to} | ${list(rule.who)} | ${rule.needs} | ${list(o.starts)} | ` +
        `${list(o.settles)} | ${list(o.cancels)} |`,
    );
  });
  return [
    '| action | from | to | who | needs | starts | settles | cancels |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
