import { decodeCaseCursor, encodeCaseCursor } from './case.cursor';

const cursor = {
  order: 'NEWEST' as const,
  at: new Date('2026-11-30T03:15:42.123Z'),
  id: '0b6f4a5e-0000-4000-8000-0000000000aa',
};

describe('case list cursors (opaque; newest first by detected_at and id, or soonest due first)', () => {
  it('a cursor decodes to the position it was made from, to the millisecond', () => {
    expect(decodeCaseCursor(encodeCaseCursor(cursor))).toEqual(cursor);
  });

  it('a soonest-due cursor keeps its order, so it cannot be passed to the newest-first list unnoticed', () => {
    const due = { ...cursor, order: 'DUE_SOONEST' as const };
    expect(decodeCaseCursor(encodeCaseCursor(due))).toEqual(due);
    expect(encodeCaseCursor(due)).not.toEqual(encodeCaseCursor(cursor));
  });

  it('newest-first cursors handed out before soonest-due existed still decode', () => {
    const old = Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id])).toString('base64url');
    expect(decodeCaseCursor(old)).toEqual(cursor);
  });

  it('is opaque: neither the id nor the time shows in plain text', () => {
    const encoded = encodeCaseCursor(cursor);
    expect(encoded).not.toContain(cursor.id);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['an empty string', ''],
    ['not base64', 'not a cursor!'],
    ['base64 of something else', Buffer.from('hello').toString('base64url')],
    ['an object instead of the pair', Buffer.from(JSON.stringify({ id: cursor.id })).toString('base64url')],
    ['a pair with a bad id', Buffer.from(JSON.stringify(['2026-11-30T03:15:42.123Z', 'x'])).toString('base64url')],
    ['a pair with a bad time', Buffer.from(JSON.stringify(['yesterday', cursor.id])).toString('base64url')],
    [
      'a triple of another order',
      Buffer.from(JSON.stringify(['OLDEST', '2026-11-30T03:15:42.123Z', cursor.id])).toString('base64url'),
    ],
    [
      'a time that is not in canonical form',
      Buffer.from(JSON.stringify(['2026-11-30', cursor.id])).toString('base64url'),
    ],
  ])('%s is not a cursor', (_what, value) => {
    expect(decodeCaseCursor(value)).toBeNull();
  });
});
