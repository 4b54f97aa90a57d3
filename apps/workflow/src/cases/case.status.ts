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
