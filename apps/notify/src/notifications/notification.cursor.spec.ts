import { decodeCursor, encodeCursor } from './notification.cursor';

describe('notification cursors: opaque, exact, and refused when not ours', () => {
  const position = { createdAt: new Date('2026-11-28T10:00:00.123Z'), id: '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f' };

  it('a cursor decodes to the position it was made from, to the millisecond', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('a cursor is opaque: neither the time nor the id shows in it', () => {
    const cursor = encodeCursor(position);
    expect(cursor).not.toContain(position.id);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['an empty string', ''],
    ['free text', 'page-2'],
    ['a bare id', position.id],
    ['a position without an id', Buffer.from('2026-11-28T10:00:00.123Z|').toString('base64url')],
    ['an impossible date', Buffer.from(`2026-13-45T10:00:00.000Z|${position.id}`).toString('base64url')],
    ['an id that is not a uuid', Buffer.from('2026-11-28T10:00:00.123Z|42').toString('base64url')],
    ['a cursor with stray characters', `${encodeCursor(position)}!!`],
  ])('%s is not a cursor', (_what, cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});
