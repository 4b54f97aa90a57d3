import { byteRange } from './attachment.service';

describe('byteRange: one HTTP range within a file (a video player seeks)', () => {
  it.each([
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=10-', { start: 10, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=-500', { start: 0, end: 99 }],
    ['bytes=90-500', { start: 90, end: 99 }],
  ])('"%s" of 100 bytes is %j', (header, range) => {
    expect(byteRange(header, 100)).toEqual(range);
  });

  it.each([undefined, '', 'bytes=-', 'bytes=5-2', 'items=0-1', 'bytes=0-1,5-6'])(
    '"%s" is no range: the whole file is sent',
    (header) => {
      expect(byteRange(header, 100)).toBeUndefined();
    },
  );

  it.each(['bytes=100-', 'bytes=200-300', 'bytes=-0'])('"%s" of 100 bytes holds no byte: 416', (header) => {
    expect(byteRange(header, 100)).toBeNull();
  });
});
