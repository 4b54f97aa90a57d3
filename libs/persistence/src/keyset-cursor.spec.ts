import { decodeKeysetCursor, encodeKeysetCursor } from './keyset-cursor';

const position = { at: new Date('2026-11-29T07:45:00.123Z'), id: '0b6f2a44-5c1e-4a7e-9d7e-2f1a3b4c5d6e' };

describe('keyset cursors', () => {
  it('a cursor decodes to the position it was made from, for its own list only', () => {
    const cursor = encodeKeysetCursor('READS', position);
    expect(decodeKeysetCursor('READS', cursor)).toEqual(position);
    expect(decodeKeysetCursor('UNCASED', cursor)).toBeNull();
  });

  it('anything else is no cursor: garbage, other JSON, a bad id or a moment not in canonical form', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
    for (const value of [
      'not base64!',
      Buffer.from('{', 'utf8').toString('base64url'),
      encode({ tag: 'READS' }),
      encode(['READS', position.at.toISOString()]),
      encode(['READS', position.at.toISOString(), 'not-a-uuid']),
      encode(['READS', '2026-11-29', position.id]),
      encode(['READS', 'yesterday', position.id]),
    ]) {
      expect(decodeKeysetCursor('READS', value)).toBeNull();
    }
  });
});
