// npm run secrets:rewrap -- [--check] [--json]      (see `npm run secrets:rewrap -- --help`)
// Moves every sealed secret in the database to the current master key of OTKLIK_SECRET_KEYS
// (libs/secrets: only each value's data key is re-encrypted), so an old master key can then be
// removed. The columns below mirror what the apps seal (apps/intake/src/sources/source.secrets.ts,
// notify's copy from source.changed);
// keep them in step — a value sealed under another context is refused, never rewritten.
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { sourceCredentialsContext } from '@otklik/contracts';
import { keyringFromEnvironment, SecretBox, sealedKeyId, SecretsError } from '@otklik/secrets';

interface SealedColumn {
  column: string;
  /** The associated data the app seals the column's values with, from the row's key. */
  context: (key: string) => string;
}

interface SealedTable {
  table: string;
  key: string;
  columns: SealedColumn[];
}

/** Every column that holds sealed values. One entry per table. */
const SEALED: readonly SealedTable[] = [
  {
    table: 'intake.sources',
    key: 'id',
    columns: [
      { column: 'secret_ciphertext', context: (id) => `intake.sources/${id}/secret` },
      { column: 'previous_secret_ciphertext', context: (id) => `intake.sources/${id}/secret` },
      { column: 'credentials_ciphertext', context: (id) => `intake.sources/${id}/credentials` },
    ],
  },
  {
    // notify's copy of each source's credentials, as source.changed carried them (publishing).
    table: 'notify.publishing_sources',
    key: 'id',
    columns: [{ column: 'credentials_ciphertext', context: sourceCredentialsContext }],
  },
];

const USAGE = `Sealed secrets in the database (DATABASE_URL) and their master keys (OTKLIK_SECRET_KEYS)

  npm run secrets:rewrap
      re-encrypts the data key of every value not under the current (first) master key with it;
      each value is checked to open first. Safe to run again, and while the apps run.
  npm run secrets:rewrap -- --check
      changes nothing: counts the values under each master key; exit status 3 while any value is
      under a key other than the current one (that key cannot be removed yet).
  --json   one JSON object instead of lines.

Rotating a master key: put the new key first in OTKLIK_SECRET_KEYS (k2:NEW,k1:OLD), restart the
apps, run this, check that --check exits 0, then remove k1 and restart. See docs/sources.md.

Exit status: 0 done, 1 failure (database unreachable, a key missing, a value that does not open),
2 bad usage, 3 (--check) values remain under older keys.`;

class UsageError extends Error {}

interface Report {
  currentKey: string;
  /** Values under each key id before anything was changed. */
  byKey: Record<string, number>;
  rewrapped: number;
  checkOnly: boolean;
}

async function run(argv: string[]): Promise<number> {
  let values: { check?: boolean; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { check: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { keyring, development } = keyringFromEnvironment(process.env, {
    production: process.env.NODE_ENV === 'production',
  });
  if (development) process.stderr.write('OTKLIK_SECRET_KEYS is not set: using the public development key\n');
  const box = new SecretBox(keyring);
  const client = new Client({
    connectionString: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/otklik',
  });
  await client.connect();
  const report: Report = { currentKey: keyring.current.id, byKey: {}, rewrapped: 0, checkOnly: Boolean(values.check) };
  try {
    for (const sealed of SEALED) await rewrapTable(client, box, sealed, report);
  } finally {
    await client.end();
  }
  const remaining = Object.entries(report.byKey).filter(([id]) => id !== report.currentKey);
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    const counts = Object.entries(report.byKey).map(([id, n]) => `${id}: ${n}`);
    process.stdout.write(`values by master key: ${counts.join(', ') || 'none'} (current: ${report.currentKey})\n`);
    if (!report.checkOnly) process.stdout.write(`rewrapped: ${report.rewrapped}\n`);
  }
  return report.checkOnly && remaining.length > 0 ? 3 : 0;
}

/** One transaction per table, its rows locked, in every organisation's scope. */
async function rewrapTable(client: Client, box: SecretBox, sealed: SealedTable, report: Report): Promise<void> {
  const columns = sealed.columns.map((c) => c.column);
  await client.query('begin');
  try {
    // The migrating role owns the tables but FORCE ROW LEVEL SECURITY binds owners too.
    await client.query(`select set_config('app.all_orgs', 'on', true)`);
    const rows = (
      await client.query<Record<string, string | null>>(
        `select ${[sealed.key, ...columns].join(', ')} from ${sealed.table} order by ${sealed.key} for update`,
      )
    ).rows;
    for (const row of rows) {
      const key = row[sealed.key] as string;
      const changes: Array<[string, string]> = [];
      for (const { column, context } of sealed.columns) {
        const value = row[column];
        if (value === null) continue;
        const keyId = sealedKeyId(value);
        report.byKey[keyId] = (report.byKey[keyId] ?? 0) + 1;
        if (report.checkOnly || !box.needsRewrap(value)) continue;
        try {
          changes.push([column, box.rewrap(value, context(key))]);
        } catch (error) {
          if (error instanceof SecretsError)
            throw new SecretsError(`${sealed.table} ${key} ${column}: ${error.message}`);
          throw error;
        }
      }
      if (changes.length === 0) continue;
      const assignments = changes.map(([column], i) => `${column} = $${i + 2}`).join(', ');
      await client.query(`update ${sealed.table} set ${assignments} where ${sealed.key} = $1`, [
        key,
        ...changes.map(([, value]) => value),
      ]);
      report.rewrapped += changes.length;
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    // Key and sealing errors name the variable, the key id and the row; none carries a value.
    process.stderr.write(`secrets:rewrap failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
