import type { QueryRunner } from 'typeorm';
import { quoteIdent } from './database-url';

/** The application role of a service's schema: it owns nothing and cannot bypass row-level security. */
export const appRoleOf = (schema: string): string => `otklik_${schema}`;

/**
 * The predicate of every tenant table: a row is visible when its organisation is in the
 * transaction's `app.org_ids`, or when system work set `app.all_orgs`. Both are set with
 * set_config(..., true) by UnitOfWork; outside such a transaction nothing is visible.
 * NULLIF: after first use in a session, current_setting returns '' rather than NULL.
 */
export function tenantPredicate(column: string): string {
  return (
    `(NULLIF(current_setting('app.all_orgs', true), '') = 'on' OR ${quoteIdent(column)} = ANY (` +
    `string_to_array(NULLIF(current_setting('app.org_ids', true), ''), ',')::uuid[]))`
  );
}

/** For migrations: turn on row-level security for a tenant table (owner included, FORCE). */
export async function enableTenantIsolation(
  runner: QueryRunner,
  schema: string,
  table: string,
  column = 'organization_id',
): Promise<void> {
  const qualified = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  await runner.query(`alter table ${qualified} enable row level security`);
  await runner.query(`alter table ${qualified} force row level security`);
  const predicate = tenantPredicate(column);
  await runner.query(`create policy tenant_isolation on ${qualified} using ${predicate} with check ${predicate}`);
}

export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/** For migrations: what the service's application role may do with a table (append-only tables omit UPDATE/DELETE). */
export async function grantToAppRole(
  runner: QueryRunner,
  schema: string,
  table: string,
  privileges: readonly TablePrivilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
): Promise<void> {
  await runner.query(
    `grant ${privileges.join(', ')} on ${quoteIdent(schema)}.${quoteIdent(table)} to ${quoteIdent(appRoleOf(schema))}`,
  );
}
