/** CONTRACT.md `CaseStatus`; REQUIREMENTS "What a case goes through". */
export const CASE_STATUSES = [
  'DETECTED',
  'ROUTED',
  'REGISTERED',
  'ASSIGNED',
  'DRAFT_SUBMITTED',
  'ANSWERED',
  'AWAITING_FINAL',
  'AWAITING_AUTHOR',
  'CLOSED',
  'DISMISSED',
  'EXCLUDED',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** CONTRACT.md `DraftKind`: a final answer, an interim answer (cl. 8) or a request for clarification (cl. 7). */
export const DRAFT_KINDS = ['FINAL', 'INTERIM', 'CLARIFICATION'] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

/** CONTRACT.md `ExclusionReason` (cl. 11). */
export const EXCLUSION_REASONS = ['THREAT', 'HARM_INTENT', 'OBSCENE', 'INSULT'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** What moved a case: one name per transition of workflow's state machine (apps/workflow/src/cases/case.transitions.ts). */
export const CASE_ACTIONS = [
  'OPEN',
  'ROUTE',
  'REGISTER',
  'ASSIGN',
  'REASSIGN',
  'SUBMIT_DRAFT',
  'RETURN_DRAFT',
  'APPROVE_DRAFT',
  'AUTHOR_REPLIED',
  'CLOSE',
  'REOPEN',
  'EXCLUDE',
  'DISMISS',
  'LINK',
  'UNLINK',
  'RECORD_PUBLICATION',
  // notify's report of a publication (publication.completed), and the official's retry of a failed one.
  'ANSWER_PUBLISHED',
  'PUBLICATION_FAILED',
  'RETRY_PUBLICATION',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** CONTRACT.md `PublicationStatus`. */
export const PUBLICATION_STATUSES = ['PENDING', 'PUBLISHED', 'FAILED', 'MANUAL'] as const;
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];
