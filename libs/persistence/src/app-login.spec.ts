import { appLoginUrl, describeLogin, loginUserOf, scramSha256Verifier } from './app-login';

describe('appLoginUrl: the application role logs in itself', () => {
  it('by default: the owner’s server and database, the role as user, no password (trust auth)', () => {
    expect(appLoginUrl({ schema: 'intake', databaseUrl: 'postgres://postgres@127.0.0.1:5432/otklik' })).toBe(
      'postgres://otklik_intake@127.0.0.1:5432/otklik',
    );
  });

  it('keeps nothing of the owner’s login: neither its password nor a ?user= or ?password= that node-pg would prefer', () => {
    const url = appLoginUrl({
      schema: 'workflow',
      databaseUrl: 'postgres://owner:owner-secret@db:5432/otklik?sslmode=require&user=owner&password=owner-secret',
    });
    expect(url).toBe('postgres://otklik_workflow@db:5432/otklik?sslmode=require');
    expect(loginUserOf(url)).toBe('otklik_workflow');
  });

  it('with APP_DATABASE_PASSWORD: the role’s password, escaped', () => {
    const url = appLoginUrl({
      schema: 'notify',
      databaseUrl: 'postgres://owner:x@db/otklik',
      appPassword: 'p@ss:w/rd%',
    });
    expect(url).toBe('postgres://otklik_notify:p%40ss%3Aw%2Frd%25@db/otklik');
    expect(decodeURIComponent(new URL(url).password)).toBe('p@ss:w/rd%');
  });

  it('a socket URL (no host) carries the role and password in its query', () => {
    const url = appLoginUrl({
      schema: 'intake',
      databaseUrl: 'postgres:///otklik?host=/run/postgresql&user=owner',
      appPassword: 'pw',
    });
    expect(new URL(url).searchParams.get('host')).toBe('/run/postgresql');
    expect(loginUserOf(url)).toBe('otklik_intake');
    expect(new URL(url).searchParams.get('password')).toBe('pw');
  });

  it('APP_DATABASE_URL is used as given, whatever DATABASE_URL is', () => {
    const given = 'postgres://otklik_intake:own-secret@pgbouncer:6432/otklik';
    expect(appLoginUrl({ schema: 'intake', databaseUrl: 'postgres://owner@db/otklik', appDatabaseUrl: given })).toBe(
      given,
    );
  });

  it('APP_DATABASE_URL without a password takes APP_DATABASE_PASSWORD', () => {
    expect(
      appLoginUrl({
        schema: 'intake',
        databaseUrl: 'postgres://owner@db/otklik',
        appDatabaseUrl: 'postgres://otklik_intake@pgbouncer:6432/otklik',
        appPassword: 'pw',
      }),
    ).toBe('postgres://otklik_intake:pw@pgbouncer:6432/otklik');
  });
});

describe('describeLogin: a login fit for errors', () => {
  it('names the user and hides the password, in the URL or its query', () => {
    expect(describeLogin('postgres://otklik_intake:s3cret@db/otklik')).toBe(
      'otklik_intake at postgres://otklik_intake:***@db/otklik',
    );
    expect(describeLogin('postgres:///otklik?user=otklik_intake&password=s3cret')).not.toContain('s3cret');
  });
});

describe('scramSha256Verifier: what ALTER ROLE … PASSWORD receives instead of the password', () => {
  it('is what PostgreSQL 15 itself stores for the password, given its salt', () => {
    // `alter role r password 'correct horse battery staple'`, then pg_authid.rolpassword.
    const stored =
      'SCRAM-SHA-256$4096:WC/+AV49zO6PFHl0fn42YA==$YgV5AHP569eIzR60gs7m9WFtAtWKsNiDyytmW4+lMc8=:' +
      'aVBLQ4COXut4zkZmmhRngowkB4iOKBkoQOd1l+DablQ=';
    const salt = new Uint8Array(Buffer.from('WC/+AV49zO6PFHl0fn42YA==', 'base64'));
    expect(scramSha256Verifier('correct horse battery staple', salt)).toBe(stored);
  });

  it('does not contain the password, and a fresh salt each time', () => {
    const a = scramSha256Verifier('hunter2hunter2');
    expect(a).not.toContain('hunter2');
    expect(scramSha256Verifier('hunter2hunter2')).not.toBe(a);
    // Safe as an SQL literal: no quote can appear.
    expect(a).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
  });
});
