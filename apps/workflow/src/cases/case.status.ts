export { CASE_STATUSES } from '@otklik/contracts';
export type { CaseStatus } from '@otklik/contracts';
