import {
  loginKey,
  mergeLoginAccess,
  parseStaffAccessEntry,
  sessionKey,
  StaffAccessList,
  staffAccessBucket,
} from './staff-access';

const at = (epochSeconds: number) => new Date(epochSeconds * 1000);

describe('staff access list: keys and entries', () => {
  it('one bucket per installation, named by its events prefix', () => {
    expect(staffAccessBucket('otklik')).toBe('otklik-staff-access');
  });

  it('keys are valid KV tokens whatever the login or token id holds', () => {
    for (const key of [loginKey('buranovsky.official'), sessionKey('a/b c.*>'), loginKey('Иван')]) {
      expect(key).toMatch(/^(login|session)\.[-_A-Za-z0-9]+$/);
    }
  });

  it('reads back what was written; refuses what is not an entry', () => {
    expect(parseStaffAccessEntry(loginKey('head'), { notBefore: 100, reason: 'signed out', at: 100 })).toEqual({
      kind: 'login',
      login: 'head',
      access: { notBefore: 100, reason: 'signed out', at: 100 },
    });
    expect(parseStaffAccessEntry(sessionKey('jti-1'), { reason: 'stolen', at: 5 })).toEqual({
      kind: 'session',
      id: 'jti-1',
      revocation: { reason: 'stolen', at: 5 },
    });
    expect(() => parseStaffAccessEntry(loginKey('head'), { reason: 'x' })).toThrow(/"at"/);
    expect(() => parseStaffAccessEntry(loginKey('head'), { at: 1, notBefore: 'yesterday' })).toThrow(/notBefore/);
    expect(() => parseStaffAccessEntry('other.x', { at: 1 })).toThrow(/not a login/);
  });

  it('a role change after a revocation keeps the revocation (the later notBefore wins)', () => {
    const revoked = { notBefore: 100, reason: 'sessions revoked', at: 100 };
    expect(mergeLoginAccess(revoked, { reason: 'role withdrawn', at: 150 })).toEqual({
      notBefore: 100,
      reason: 'role withdrawn',
      at: 150,
    });
    expect(mergeLoginAccess(revoked, { notBefore: 200, reason: 'signed out', at: 200 })).toMatchObject({
      notBefore: 200,
    });
    expect(mergeLoginAccess(null, { reason: 'role granted', at: 1 })).toEqual({ reason: 'role granted', at: 1 });
  });
});

describe('StaffAccessList (what a gateway replica refuses)', () => {
  const list = () => new StaffAccessList(3600 + 30, () => 10_000_000);

  it('a login revoked at t refuses its tokens issued at or before t, not those issued after', () => {
    const access = list();
    access.apply({ kind: 'login', login: 'head', access: { notBefore: 9_000, reason: 'signed out', at: 9_000 } });
    expect(access.revocationOf({ login: 'head', issuedAt: at(8_000) })).toBe('session revoked');
    expect(access.revocationOf({ login: 'head', issuedAt: at(9_000) })).toBe('session revoked');
    expect(access.revocationOf({ login: 'head', issuedAt: at(9_001) })).toBeNull();
    expect(access.revocationOf({ login: 'official', issuedAt: at(8_000) })).toBeNull();
  });

  it('an "access changed" entry refuses nothing', () => {
    const access = list();
    access.apply({ kind: 'login', login: 'head', access: { reason: 'role withdrawn', at: 9_000 } });
    expect(access.revocationOf({ login: 'head', issuedAt: at(8_000) })).toBeNull();
  });

  it('a revoked session refuses the token with that jti or that sid only', () => {
    const access = list();
    access.apply({ kind: 'session', id: 'sid-7', revocation: { reason: 'stolen laptop', at: 9_000 } });
    const token = { login: 'head', issuedAt: at(9_500) };
    expect(access.revocationOf({ ...token, sessionId: 'sid-7' })).toBe('session revoked');
    expect(access.revocationOf({ ...token, tokenId: 'sid-7' })).toBe('session revoked');
    expect(access.revocationOf({ ...token, tokenId: 'jti-8', sessionId: 'sid-8' })).toBeNull();
  });

  it('forgets entries older than the retention, and keys deleted from the bucket', () => {
    const access = list();
    access.apply({ kind: 'login', login: 'old', access: { notBefore: 1, reason: 'x', at: 10_000 - 3631 } });
    access.apply({ kind: 'login', login: 'recent', access: { notBefore: 1, reason: 'x', at: 10_000 - 3629 } });
    access.apply({ kind: 'session', id: 'old', revocation: { reason: 'x', at: 10_000 - 4000 } });
    access.prune();
    expect(access.size).toBe(1);
    access.remove(loginKey('recent'));
    expect(access.size).toBe(0);
  });
});
