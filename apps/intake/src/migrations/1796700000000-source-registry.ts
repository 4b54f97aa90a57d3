import { randomBytes } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appRoleOf, enableTenantIsolation, grantToAppRole } from '@otklik/persistence';
import { keyringFromEnvironment, SecretBox } from '@otklik/secrets';

/** Settings that were secrets kept in plaintext (the demo's VK access token and Telegram bot token, …). */
const SECRET_SETTING = /token|secret|password|passwd|api_?key|private_?key/i;
/** Contexts as apps/intake/src/sources/source.secrets.ts seals them (fixed here: a migration never changes). */
const secretContext = (id: string) => `intake.sources/${id}/secret`;
const credentialsContext = (id: string) => `intake.sources/${id}/credentials`;

/**
 * Step 4, the registry of official accounts (cl. 2–3): sources' secrets encrypted at rest.
 *
 * The webhook secret and the secret settings move into sealed columns (libs/secrets: envelope
 * encryption under OTKLIK_SECRET_KEYS), and the plaintext goes. The migration seals the rows
 * there are itself, with libs/secrets, rather than leaving plaintext for the app to seal later:
 * a format that also accepted plaintext would let anyone who can write the table choose a
 * secret. It reads OTKLIK_SECRET_KEYS as the app does (outside production without it: the
 * development key); production without it stops here, naming it, before anything is changed.
 *
 * A rotated secret's predecessor is kept sealed with its end (previous_secret_until), and every
 * change to a source is recorded in source_changes, append-only.
 */
export class SourceRegistry1796700000000 implements MigrationInterface {
  name = 'SourceRegistry1796700000000';

  async up(runner: QueryRunner): Promise<void> {
    // Every organisation's rows, whoever migrates (the owner is bound by FORCE ROW LEVEL SECURITY).
    await runner.query(`select set_config('app.all_orgs', 'on', true)`);
    await runner.query(`
      alter table intake.sources
        add column secret_ciphertext text,
        add column previous_secret_ciphertext text,
        add column previous_secret_until timestamptz,
        add column secret_rotated_at timestamptz,
        add column credentials_ciphertext text,
        add column credential_names text[] not null default '{}',
        add column updated_at timestamptz not null default now()`);

    const rows = (await runner.query('select id, secret, settings from intake.sources order by id')) as Array<{
      id: string;
      secret: string;
      settings: Record<string, unknown>;
    }>;
    if (rows.length > 0) {
      // Read here, once, for this data move alone (the app reads its own copy at start).
      const { keyring } = keyringFromEnvironment(process.env, { production: process.env.NODE_ENV === 'production' });
      const box = new SecretBox(keyring);
      for (const row of rows) {
        const settings: Record<string, unknown> = {};
        const credentials: Record<string, string> = {};
        for (const [key, value] of Object.entries(row.settings ?? {})) {
          if (SECRET_SETTING.test(key) && typeof value === 'string') credentials[key] = value;
          else settings[key] = value;
        }
        const names = Object.keys(credentials).sort();
        await runner.query(
          `update intake.sources
              set secret_ciphertext = $2, credentials_ciphertext = $3, credential_names = $4, settings = $5
            where id = $1`,
          [
            row.id,
            box.seal(row.secret, secretContext(row.id)),
            names.length > 0 ? box.seal(JSON.stringify(credentials), credentialsContext(row.id)) : null,
            names,
            settings,
          ],
        );
      }
    }

    await runner.query('alter table intake.sources drop column secret');
    await runner.query(`
      alter table intake.sources
        add constraint sources_secrets_sealed check (
          (secret_ciphertext is null or secret_ciphertext like 'v1.%')
          and (previous_secret_ciphertext is null or previous_secret_ciphertext like 'v1.%')
          and (credentials_ciphertext is null or credentials_ciphertext like 'v1.%')),
        add constraint sources_webhook_secret check (
          secret_ciphertext is not null or kind in ('MANUAL', 'FEED', 'IMPORT')),
        add constraint sources_previous_secret check (
          (previous_secret_ciphertext is null) = (previous_secret_until is null)),
        add constraint sources_credentials check (
          (credentials_ciphertext is null) = (cardinality(credential_names) = 0))`);
    // Officials now manage sources: rename, reconfigure, rotate secrets, set credentials.
    await grantToAppRole(runner, 'intake', 'sources', ['UPDATE']);

    await runner.query(`
      create table intake.source_changes (
        id uuid primary key,
        source_id text not null references intake.sources (id),
        organization_id uuid not null,
        at timestamptz not null,
        actor text not null,
        action text not null check (action in ('CREATED', 'UPDATED', 'SECRET_ROTATED', 'CREDENTIALS_SET')),
        changes jsonb not null,
        correlation_id text not null
      )`);
    await runner.query('create index source_changes_by_source on intake.source_changes (source_id, at)');
    await enableTenantIsolation(runner, 'intake', 'source_changes');
    // Append-only: the record of who changed what.
    await grantToAppRole(runner, 'intake', 'source_changes', ['SELECT', 'INSERT']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`select set_config('app.all_orgs', 'on', true)`);
    await runner.query('drop table intake.source_changes');
    await runner.query(`revoke update on intake.sources from ${appRoleOf('intake')}`);
    await runner.query('alter table intake.sources add column secret text');
    const rows = (await runner.query(
      'select id, secret_ciphertext, credentials_ciphertext, settings from intake.sources order by id',
    )) as Array<{
      id: string;
      secret_ciphertext: string | null;
      credentials_ciphertext: string | null;
      settings: Record<string, unknown>;
    }>;
    if (rows.length > 0) {
      const { keyring } = keyringFromEnvironment(process.env, { production: process.env.NODE_ENV === 'production' });
      const box = new SecretBox(keyring);
      for (const row of rows) {
        const secret = row.secret_ciphertext
          ? box.open(row.secret_ciphertext, secretContext(row.id))
          : randomBytes(32).toString('hex');
        const credentials = row.credentials_ciphertext
          ? (JSON.parse(box.open(row.credentials_ciphertext, credentialsContext(row.id))) as Record<string, string>)
          : {};
        await runner.query('update intake.sources set secret = $2, settings = $3 where id = $1', [
          row.id,
          secret,
          { ...row.settings, ...credentials },
        ]);
      }
    }
    await runner.query(`
      alter table intake.sources
        drop constraint sources_secrets_sealed,
        drop constraint sources_webhook_secret,
        drop constraint sources_previous_secret,
        drop constraint sources_credentials,
        drop column secret_ciphertext,
        drop column previous_secret_ciphertext,
        drop column previous_secret_until,
        drop column secret_rotated_at,
        drop column credentials_ciphertext,
        drop column credential_names,
        drop column updated_at`);
    await runner.query(`alter table intake.sources alter column secret set not null`);
    await runner.query(`alter table intake.sources add constraint sources_secret_check check (secret <> '')`);
  }
}
