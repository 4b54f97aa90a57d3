import { canSeeOrganization, Viewer } from '@otklik/auth';

/**
 * Who may read a message by its id (`message(id)`): staff whose role other than EXECUTOR covers the
 * message's organisation. An executor works on the cases assigned to them (REQUIREMENTS "Who uses
 * it"; 152-FZ: personal data only as the work needs) and reaches their messages through the case
 * (`Case.message`), which workflow already limits to those cases — so a role that is only an
 * EXECUTOR there does not open every message, and its author, of the organisation and below.
 *
 * Intake holds no organisation tree, only the viewer's roles and what they see (their roles'
 * organisations and everything below): a message of an organisation where the viewer holds another
 * role is theirs; one below is theirs when their EXECUTOR roles add nothing they would not see
 * anyway (each is in an organisation where they also hold another role); otherwise it might be
 * visible through an EXECUTOR role alone, and is refused rather than guessed about.
 */
export function mayReadMessage(viewer: Viewer, organizationId: string): boolean {
  const staffIn = new Set(viewer.roles.filter((r) => r.role !== 'EXECUTOR').map((r) => r.organizationId));
  if (staffIn.has(organizationId)) return true;
  return viewer.roles.every((r) => staffIn.has(r.organizationId)) && canSeeOrganization(viewer, organizationId);
}
