import { PLATFORMS } from '@otklik/contracts';
import { Figure, MB, PLATFORM_LIMITS, PlatformLimits } from './platform-limits';
import { COUNTING_RULES } from './text-length';

function figuresOf(limits: PlatformLimits): [string, Figure<unknown>][] {
  return [
    ['counting', limits.counting],
    ['textLimit', limits.textLimit],
    ...(limits.captionLimit ? [['captionLimit', limits.captionLimit] as [string, Figure<unknown>]] : []),
    ['maxAttachments', limits.maxAttachments],
    ['attachmentKinds', limits.attachmentKinds],
    ['videoAlone', limits.videoAlone],
    ...Object.entries(limits.maxBytes).map(
      ([kind, figure]) => [`maxBytes.${kind}`, figure] as [string, Figure<unknown>],
    ),
    ...Object.entries(limits.contentTypes).map(
      ([kind, figure]) => [`contentTypes.${kind}`, figure] as [string, Figure<unknown>],
    ),
  ];
}

describe('PLATFORM_LIMITS: one table for every platform (cl. 10)', () => {
  it.each(PLATFORMS)('%s has an entry naming itself', (platform) => {
    expect(PLATFORM_LIMITS[platform].platform).toBe(platform);
    expect(PLATFORM_LIMITS[platform].name).not.toBe('');
    expect(COUNTING_RULES).toContain(PLATFORM_LIMITS[platform].counting.value);
  });

  it('has no entry for a platform the contracts do not know', () => {
    expect(Object.keys(PLATFORM_LIMITS).sort()).toEqual([...PLATFORMS].sort());
  });

  it.each(PLATFORMS)('%s: every figure quotes its official source, or says why it is not verified', (platform) => {
    const unsourced = figuresOf(PLATFORM_LIMITS[platform])
      .filter(([, figure]) =>
        figure.verified
          ? figure.sources.length === 0 ||
            figure.sources.some((source) => !source.url.startsWith('https://') || source.says.trim() === '')
          : !figure.note?.trim(),
      )
      .map(([field]) => field);
    expect(unsourced).toEqual([]);
  });

  it('a caption limit is never above the text limit it replaces', () => {
    for (const limits of Object.values(PLATFORM_LIMITS)) {
      if (limits.captionLimit && limits.textLimit.value !== null) {
        expect(limits.captionLimit.value).toBeLessThanOrEqual(limits.textLimit.value);
      }
    }
  });

  it('Telegram: the Bot API figures (sendMessage, sendPhoto, sendMediaGroup, sendVideo)', () => {
    const telegram = PLATFORM_LIMITS.TELEGRAM;
    expect(telegram.textLimit).toMatchObject({ value: 4096, verified: true });
    expect(telegram.captionLimit).toMatchObject({ value: 1024, verified: true });
    expect(telegram.maxAttachments).toMatchObject({ value: 10, verified: true });
    expect(telegram.maxBytes.PHOTO?.value).toBe(10 * MB);
    expect(telegram.maxBytes.VIDEO?.value).toBe(50 * MB);
    expect(telegram.counting.value).toBe('utf16');
  });

  it('MAX: 4,000 characters and 12 attachments, text and media in one message', () => {
    expect(PLATFORM_LIMITS.MAX.textLimit).toMatchObject({ value: 4000, verified: true });
    expect(PLATFORM_LIMITS.MAX.captionLimit).toBeNull();
    expect(PLATFORM_LIMITS.MAX.maxAttachments).toMatchObject({ value: 12, verified: true });
  });

  it("VK: 9,000 is messages.send's figure and is marked unconfirmed for comments", () => {
    expect(PLATFORM_LIMITS.VK.textLimit).toMatchObject({ value: 9000, verified: false });
    expect(PLATFORM_LIMITS.VK.textLimit.note).toContain('wall.createComment');
  });

  it('X: 280 weighted, as twitter-text v3 says', () => {
    expect(PLATFORM_LIMITS.TWITTER.textLimit).toMatchObject({ value: 280, verified: true });
    expect(PLATFORM_LIMITS.TWITTER.counting.value).toBe('twitter-weighted');
  });

  it('Instagram: a reply to a comment carries text only', () => {
    expect(PLATFORM_LIMITS.INSTAGRAM.attachmentKinds).toMatchObject({ value: [], verified: true });
    expect(PLATFORM_LIMITS.INSTAGRAM.maxAttachments.value).toBe(0);
  });

  it('the table cannot be changed at run time', () => {
    expect(Object.isFrozen(PLATFORM_LIMITS)).toBe(true);
    expect(Object.isFrozen(PLATFORM_LIMITS.TELEGRAM.textLimit)).toBe(true);
    expect(Object.isFrozen(PLATFORM_LIMITS.TELEGRAM.attachmentKinds.value)).toBe(true);
  });
});
