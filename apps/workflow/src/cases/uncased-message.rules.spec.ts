import { decodeUncasedCursor, encodeUncasedCursor, keptWithoutCase } from './uncased-message.rules';
import { encodeCaseCursor } from './case.cursor';

describe('cl. 1: a message that is not critical opens no case', () => {
  it.each([
    [
      'not critical, screened clean: kept without a case',
      { criticality: { critical: false }, screening: { reasons: [] } },
      true,
    ],
    ['not critical, not screened (screening added later): kept', { criticality: { critical: false } }, true],
    ['critical: a case', { criticality: { critical: true }, screening: { reasons: [] } }, false],
    [
      'not critical but flagged by screening: a case, so that an official confirms the exclusion (cl. 11)',
      { criticality: { critical: false }, screening: { reasons: ['THREAT' as const] } },
      false,
    ],
    ['no verdict (a producer older than criticality): critical, a case', { screening: { reasons: [] } }, false],
    ['neither verdict: a case', {}, false],
  ])('%s', (_name, message, kept) => {
    expect(keptWithoutCase(message)).toBe(kept);
  });
});

describe('the list’s cursor', () => {
  const cursor = { at: new Date('2026-11-30T03:00:00.000Z'), id: '0b6f4a5e-0000-4000-8000-000000000001' };

  it('round-trips', () => {
    expect(decodeUncasedCursor(encodeUncasedCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not base64url', '***'],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['the case list’s cursor', encodeCaseCursor({ order: 'NEWEST', ...cursor })],
    [
      'an id that is not a UUID',
      Buffer.from(JSON.stringify(['UNCASED', cursor.at.toISOString(), 'x'])).toString('base64url'),
    ],
    ['a date that is not ISO', Buffer.from(JSON.stringify(['UNCASED', 'yesterday', cursor.id])).toString('base64url')],
  ])('refuses %s', (_name, value) => {
    expect(decodeUncasedCursor(value)).toBeNull();
  });
});
