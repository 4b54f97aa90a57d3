import type { CaseStatus } from '@otklik/contracts';

/**
 * What makes a message a repeat (cl. 9), without a framework: tools/eval/repeats measures the same
 * SQL and threshold on pairs built from an archive of appeals (docs/repeats.md).
 */

/**
 * "An issue already considered" (cl. 9, «по ранее рассмотренному вопросу»): an answer went out —
 * the final one (ANSWERED, then CLOSED) or an interim one (AWAITING_FINAL, where the answer to a
 * repeat says how the matter is going). DISMISSED and EXCLUDED cases were not considered on
 * their merits; AWAITING_AUTHOR cases take the author's next message as a reply (cl. 7).
 */
export const CONSIDERED_STATUSES: readonly CaseStatus[] = ['ANSWERED', 'AWAITING_FINAL', 'CLOSED'];

/**
 * An issue still being worked on, before any answer: a new message about it is no repeat (nothing
 * was considered yet) but gets its own case, linked to this one so that both are handled together.
 */
export const IN_PROGRESS_STATUSES: readonly CaseStatus[] = [
  'DETECTED',
  'ROUTED',
  'REGISTERED',
  'ASSIGNED',
  'DRAFT_SUBMITTED',
];

/** The least similarity of a later message to an earlier case's that counts as the same issue (chosen in docs/repeats.md). */
export const REPEAT_MIN_SIMILARITY = 0.22;

/** How far back the earlier case may have been detected, by default (REPEAT_WINDOW_DAYS). */
export const DEFAULT_REPEAT_WINDOW_DAYS = 30;

/**
 * The similarity (0–1) of a later message's text to an earlier one's, as SQL over two text
 * expressions: pg_trgm's word_similarity of their normalised forms (migration 1796700000000).
 */
export const repeatSimilaritySql = (later: string, earlier: string): string =>
  `workflow.repeat_similarity(${later}, ${earlier})`;

/** Which of the rule's ways led to the earlier case. */
export type RepeatRule = 'same author' | 'same thread';
