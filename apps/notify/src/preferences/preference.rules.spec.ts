import { NotificationKind } from '../notifications/notification.text';
import { effectivePreferences, enabledByDefault, isEnabled, PREFERENCE_KINDS } from './preference.rules';

describe('notification preferences: what reaches whom where, per kind and channel', () => {
  it('by default the feed gets everything', () => {
    expect(PREFERENCE_KINDS.every((kind) => enabledByDefault(kind, 'IN_APP'))).toBe(true);
  });

  it('by default e-mail and Telegram get what cannot wait: at risk, breached, a threat, a failed publication, an assignment', () => {
    const outbound = PREFERENCE_KINDS.filter((kind) => enabledByDefault(kind, 'EMAIL'));
    expect(outbound.sort()).toEqual(
      ['CASE_ASSIGNED', 'CASE_THREAT', 'DEADLINE_AT_RISK', 'DEADLINE_BREACHED', 'PUBLICATION_FAILED'].sort(),
    );
    expect(PREFERENCE_KINDS.filter((kind) => enabledByDefault(kind, 'TELEGRAM')).sort()).toEqual(outbound.sort());
  });

  it('every kind notify writes can be set, the failed publication’s included', () => {
    expect(PREFERENCE_KINDS).toEqual(
      expect.arrayContaining([...Object.values(NotificationKind), 'PUBLICATION_FAILED']),
    );
    expect(new Set(PREFERENCE_KINDS).size).toBe(PREFERENCE_KINDS.length);
  });

  it('a user’s choice overrides the default for that kind and channel only', () => {
    const choices = [
      { kind: NotificationKind.DEADLINE_AT_RISK, channel: 'EMAIL' as const, enabled: false },
      { kind: NotificationKind.CASE_OPENED, channel: 'TELEGRAM' as const, enabled: true },
    ];
    expect(isEnabled(NotificationKind.DEADLINE_AT_RISK, 'EMAIL', choices)).toBe(false);
    expect(isEnabled(NotificationKind.DEADLINE_AT_RISK, 'TELEGRAM', choices)).toBe(true);
    expect(isEnabled(NotificationKind.CASE_OPENED, 'TELEGRAM', choices)).toBe(true);
    expect(isEnabled(NotificationKind.CASE_OPENED, 'EMAIL', choices)).toBe(false);
  });

  it('the feed cannot be switched off, whatever is stored', () => {
    expect(
      isEnabled(NotificationKind.CASE_OPENED, 'IN_APP', [{ kind: 'CASE_OPENED', channel: 'IN_APP', enabled: false }]),
    ).toBe(true);
  });

  it('the matrix lists every kind × channel, marking what the user chose and what they may change', () => {
    const matrix = effectivePreferences([{ kind: NotificationKind.CASE_OPENED, channel: 'EMAIL', enabled: true }]);
    expect(matrix).toHaveLength(PREFERENCE_KINDS.length * 3);
    expect(matrix.filter((p) => p.kind === NotificationKind.CASE_OPENED)).toEqual([
      { kind: 'CASE_OPENED', channel: 'IN_APP', enabled: true, chosen: false, changeable: false },
      { kind: 'CASE_OPENED', channel: 'EMAIL', enabled: true, chosen: true, changeable: true },
      { kind: 'CASE_OPENED', channel: 'TELEGRAM', enabled: false, chosen: false, changeable: true },
    ]);
  });
});
