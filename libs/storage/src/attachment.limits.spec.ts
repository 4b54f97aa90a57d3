import { ATTACHMENT_LIMITS, attachmentProblem, bareContentType, formatBytes } from './attachment.limits';

const MB = 1024 * 1024;

describe('attachment limits (cl. 10: photo or video with the answer)', () => {
  it.each(['image/jpeg', 'image/png', 'image/webp', 'image/gif'])('a PHOTO may be %s', (type) => {
    expect(attachmentProblem('PHOTO', type, 1000)).toBeNull();
  });

  it.each(['video/mp4', 'video/quicktime', 'video/webm'])('a VIDEO may be %s', (type) => {
    expect(attachmentProblem('VIDEO', type, 1000)).toBeNull();
  });

  it('the content type is compared without case or parameters', () => {
    expect(attachmentProblem('PHOTO', 'Image/JPEG; charset=binary', 10)).toBeNull();
    expect(bareContentType(' Video/MP4 ;codecs=avc1')).toBe('video/mp4');
  });

  it.each([
    ['PHOTO', 'image/svg+xml'],
    ['PHOTO', 'video/mp4'],
    ['VIDEO', 'image/png'],
    ['VIDEO', 'application/octet-stream'],
    ['PHOTO', ''],
  ])('a %s of type "%s" is refused, naming the types it may be', (kind, type) => {
    const problem = attachmentProblem(kind, type, 10);
    expect(problem?.code).toBe('UNSUPPORTED_TYPE');
    expect(problem?.message).toBe(
      `a ${kind} must be ${ATTACHMENT_LIMITS[kind as 'PHOTO' | 'VIDEO'].contentTypes.join(', ')}; got "${type}"`,
    );
  });

  it('a photo may be 20 MB and not a byte more', () => {
    expect(ATTACHMENT_LIMITS.PHOTO.maxBytes).toBe(20 * MB);
    expect(attachmentProblem('PHOTO', 'image/png', 20 * MB)).toBeNull();
    expect(attachmentProblem('PHOTO', 'image/png', 20 * MB + 1)).toEqual({
      code: 'TOO_LARGE',
      message: 'a PHOTO may be at most 20 MB (20971520 bytes); this one is 20971521 bytes',
    });
    expect(attachmentProblem('PHOTO', 'image/png', 25 * MB)?.message).toBe(
      'a PHOTO may be at most 20 MB; this one is 25 MB',
    );
  });

  it('a video may be 200 MB and not a byte more', () => {
    expect(ATTACHMENT_LIMITS.VIDEO.maxBytes).toBe(200 * MB);
    expect(attachmentProblem('VIDEO', 'video/mp4', 200 * MB)).toBeNull();
    expect(attachmentProblem('VIDEO', 'video/mp4', 200 * MB + 1)?.code).toBe('TOO_LARGE');
  });

  it.each([0, -1, 1.5, Number.NaN])('a size of %p is refused: a file has at least one byte', (size) => {
    expect(attachmentProblem('PHOTO', 'image/png', size)?.code).toBe('BAD_SIZE');
  });

  it('a kind other than PHOTO or VIDEO is refused', () => {
    expect(attachmentProblem('AUDIO', 'audio/mpeg', 10)).toEqual({
      code: 'UNKNOWN_KIND',
      message: 'an attachment is a PHOTO or a VIDEO; got "AUDIO"',
    });
  });

  it('sizes read as a person reads them', () => {
    expect(formatBytes(640)).toBe('640 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(1.5 * MB)).toBe('1.5 MB');
  });
});
