import { databaseName, quoteIdent, redactUrl, withDatabase } from './database-url';

describe('databaseName: the database a postgres:// URL names', () => {
  it('is the path without its slash, query and credentials aside', () => {
    expect(databaseName('postgres://otklik:secret@db.example:5432/otklik?sslmode=require')).toBe('otklik');
    expect(databaseName('postgresql://127.0.0.1/intake_test')).toBe('intake_test');
  });

  it('decodes percent-escapes, so a name with a space or slash comes back as written', () => {
    expect(databaseName('postgres://h/my%20db')).toBe('my db');
    expect(databaseName('postgres://h/a%2Fb')).toBe('a/b');
  });

  it.each(['postgres://otklik:secret@h:5432', 'postgres://otklik:secret@h:5432/'])(
    'a URL without a database (%s) is refused, and the message does not show the password',
    (url) => {
      expect(() => databaseName(url)).toThrow('DATABASE_URL names no database: postgres://otklik:***@h:5432');
      expect(() => databaseName(url)).not.toThrow(/secret/);
    },
  );

  it('a string that is not a URL is refused', () => {
    expect(() => databaseName('not a url')).toThrow();
  });
});

describe('withDatabase: the same server, another database', () => {
  it('replaces only the database, keeping credentials, host, port and query', () => {
    expect(withDatabase('postgres://u:p@h:5433/otklik?sslmode=require', 'postgres')).toBe(
      'postgres://u:p@h:5433/postgres?sslmode=require',
    );
  });

  it('adds a database to a URL that had none', () => {
    expect(withDatabase('postgres://u@h', 'postgres')).toBe('postgres://u@h/postgres');
  });

  it('escapes the name, so databaseName reads back exactly what was given', () => {
    for (const name of ['my db', 'a/b', 'x?y#z', 'тест']) {
      expect(databaseName(withDatabase('postgres://h/otklik', name))).toBe(name);
    }
    expect(withDatabase('postgres://h/otklik', 'a/b')).toBe('postgres://h/a%2Fb');
  });
});

describe('redactUrl: a URL fit for logs', () => {
  it('hides the password and keeps everything else', () => {
    expect(redactUrl('postgres://otklik:s3cr3t@db.example:5432/otklik?sslmode=require')).toBe(
      'postgres://otklik:***@db.example:5432/otklik?sslmode=require',
    );
  });

  it('hides a percent-escaped password as well', () => {
    expect(redactUrl('postgres://u:p%40ss%3Aword@h/d')).toBe('postgres://u:***@h/d');
  });

  it('leaves a URL without a password as it is', () => {
    expect(redactUrl('postgres://otklik@h/d')).toBe('postgres://otklik@h/d');
    expect(redactUrl('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
  });

  it('says "<unparseable url>" rather than echoing a string that may hold a password', () => {
    expect(redactUrl('postgres://otklik:secret@db:not-a-port/otklik')).toBe('<unparseable url>');
    expect(redactUrl('://otklik:secret@')).toBe('<unparseable url>');
    expect(redactUrl('')).toBe('<unparseable url>');
  });
});

describe('quoteIdent: an SQL identifier, quoted', () => {
  it('wraps the name in double quotes', () => {
    expect(quoteIdent('intake')).toBe('"intake"');
    expect(quoteIdent('Mixed Case')).toBe('"Mixed Case"');
  });

  it('doubles embedded double quotes, so a name cannot close the identifier early', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent('x"; drop table t; --')).toBe('"x""; drop table t; --"');
    expect(quoteIdent('""')).toBe('""""""');
  });
});
