import { Platform, PLATFORMS } from '@otklik/contracts';
import { DraftAttachment, normaliseDraftText, previewDraft, validateDraftForPlatform } from './draft-preview';
import { MB, PLATFORM_LIMITS } from './platform-limits';

const GRIN = '\u{1F600}'; // 😀: 2 UTF-16 units, 1 code point
const photo: DraftAttachment = { type: 'PHOTO' };
const video: DraftAttachment = { type: 'VIDEO' };
const photos = (n: number): DraftAttachment[] => Array.from({ length: n }, () => photo);
/** 'а' (Cyrillic) counts 1 under every rule, as most answers are written. */
const textOf = (length: number): string => 'а'.repeat(length);

const limited = PLATFORMS.filter((platform) => PLATFORM_LIMITS[platform].textLimit.value !== null);
const unlimited = PLATFORMS.filter((platform) => PLATFORM_LIMITS[platform].textLimit.value === null);

describe('previewDraft: the answer fits the platform (cl. 10)', () => {
  describe.each(limited)('%s: the text limit, at the boundary', (platform) => {
    const { name, textLimit } = PLATFORM_LIMITS[platform];
    const limit = textLimit.value as number;

    it(`${limit} characters fit`, () => {
      const preview = previewDraft(platform, { text: textOf(limit), attachments: [] });
      expect(preview).toMatchObject({ length: limit, maxLength: limit, fits: true, problems: [] });
    });

    it(`${limit + 1} characters do not, and the problem says by how much`, () => {
      const preview = previewDraft(platform, { text: textOf(limit + 1), attachments: [] });
      const shown = limit.toLocaleString('en-US');
      expect(preview.fits).toBe(false);
      expect(preview.problems).toEqual([
        `${name}: the text is ${(limit + 1).toLocaleString('en-US')} characters; a reply there takes at most ${shown} — shorten it by 1.`,
      ]);
    });
  });

  it.each(unlimited)(
    '%s: no text limit is known, so a long text fits and the caveat says it was not checked',
    (platform) => {
      const preview = previewDraft(platform, { text: textOf(100_000), attachments: [] });
      expect(preview).toMatchObject({ fits: true, maxLength: null, length: 100_000 });
      expect(preview.caveats).toContain(
        `${PLATFORM_LIMITS[platform].name}: no limit on the text's length is known; it was not checked.`,
      );
    },
  );

  describe('Telegram: with media the text is a caption, at most 1,024', () => {
    it('without media 1,250 characters fit a 4,096 message', () => {
      expect(previewDraft('TELEGRAM', { text: textOf(1250), attachments: [] })).toMatchObject({
        fits: true,
        maxLength: 4096,
        sentAsCaption: false,
      });
    });

    it('1,024 characters with a photo fit', () => {
      expect(previewDraft('TELEGRAM', { text: textOf(1024), attachments: [photo] })).toMatchObject({
        fits: true,
        maxLength: 1024,
        sentAsCaption: true,
      });
    });

    it('1,025 with a photo do not', () => {
      expect(previewDraft('TELEGRAM', { text: textOf(1025), attachments: [photo] }).fits).toBe(false);
    });

    it('the problem names the caption, the figures and both ways out', () => {
      expect(validateDraftForPlatform('TELEGRAM', { text: textOf(1250), attachments: [photo] })).toEqual([
        'Telegram: the text is 1,250 characters; with a photo it is sent as a caption, at most 1,024 — shorten it by 226 or send the photo separately.',
      ]);
      expect(validateDraftForPlatform('TELEGRAM', { text: textOf(1100), attachments: [photo, photo, video] })).toEqual([
        'Telegram: the text is 1,100 characters; with 2 photos and a video it is sent as a caption, at most 1,024 — shorten it by 76 or send them separately.',
      ]);
    });

    it('MAX sends text and media in one message: 4,000 stays the limit with a photo', () => {
      expect(previewDraft('MAX', { text: textOf(4000), attachments: [photo] })).toMatchObject({
        fits: true,
        maxLength: 4000,
        sentAsCaption: false,
      });
    });
  });

  describe('counting emoji and other astral characters', () => {
    it('Telegram counts UTF-16 units: 2,048 emoji fill 4,096, one more does not fit', () => {
      expect(previewDraft('TELEGRAM', { text: GRIN.repeat(2048), attachments: [] })).toMatchObject({
        length: 4096,
        fits: true,
      });
      const over = previewDraft('TELEGRAM', { text: GRIN.repeat(2049), attachments: [] });
      expect(over.length).toBe(4098);
      expect(over.problems).toEqual([
        'Telegram: the text is 4,098 characters as Telegram counts them (an emoji and some rare characters count 2); a reply there takes at most 4,096 — shorten it by 2.',
      ]);
      expect(over.caveats).toContain(
        "Telegram: emoji and some rare characters were counted as 2, the stricter reading of the platform's documentation.",
      );
    });

    it('X weighs an emoji 2: 140 fill 280, 141 do not', () => {
      expect(previewDraft('TWITTER', { text: GRIN.repeat(140), attachments: [] })).toMatchObject({
        length: 280,
        fits: true,
      });
      expect(previewDraft('TWITTER', { text: GRIN.repeat(141), attachments: [] }).problems[0]).toContain(
        'as X (Twitter) counts them (a link counts 23',
      );
    });

    it('where a platform counts code points an emoji is 1', () => {
      expect(previewDraft('EMAIL', { text: GRIN.repeat(3), attachments: [] }).length).toBe(3);
    });
  });

  describe('the text as it will be sent', () => {
    it.each([
      ['trimmed', '  \n Здравствуйте!\t \n', 'Здравствуйте!'],
      ['CRLF and a lone CR become LF', 'Первая\r\nвторая\rтретья', 'Первая\nвторая\nтретья'],
      ['one and two blank lines are kept', 'а\n\nб\n\n\nв', 'а\n\nб\n\n\nв'],
      ['three blank lines become two', 'а\n\n\n\nб', 'а\n\n\nб'],
      ['five blank lines become two', 'а\n\n\n\n\n\nб', 'а\n\n\nб'],
      ['a line of spaces counts as blank', 'а\n \n\t\n  \n\nб', 'а\n\n\nб'],
      ['CRLF blank lines are counted after the conversion', 'а\r\n\r\n\r\n\r\n\r\nб', 'а\n\n\nб'],
    ])('%s', (_, text, sent) => {
      expect(normaliseDraftText(text)).toBe(sent);
      const preview = previewDraft('TELEGRAM', { text, attachments: [] });
      expect(preview.text).toBe(sent);
      expect(preview.length).toBe(sent.length);
    });

    it('the length is that of the normalised text: padding does not push a text over the limit', () => {
      expect(previewDraft('TELEGRAM', { text: `\r\n  ${textOf(4096)}  \r\n`, attachments: [] }).fits).toBe(true);
    });
  });

  describe('what cannot be published', () => {
    it.each(['', '   ', '\r\n\r\n\t'])('an empty text (%j) is a problem, with or without a photo', (text) => {
      expect(validateDraftForPlatform('VK', { text, attachments: [] })).toEqual([
        'VK: the text is empty — write the answer before publishing it.',
      ]);
      expect(validateDraftForPlatform('TELEGRAM', { text, attachments: [photo] })).toEqual([
        'Telegram: the text is empty — write the answer before publishing it.',
      ]);
    });

    it('Instagram: a reply carries text only', () => {
      expect(validateDraftForPlatform('INSTAGRAM', { text: 'Ответ', attachments: [photo] })).toEqual([
        'Instagram: a reply there carries text only — remove the photo.',
      ]);
      expect(validateDraftForPlatform('INSTAGRAM', { text: 'Ответ', attachments: [photo, video] })).toEqual([
        'Instagram: a reply there carries text only — remove the 2 attachments.',
      ]);
    });

    it('Facebook: a comment takes one photo and no video', () => {
      expect(validateDraftForPlatform('FACEBOOK', { text: 'Ответ', attachments: [photo] })).toEqual([]);
      expect(validateDraftForPlatform('FACEBOOK', { text: 'Ответ', attachments: [video] })).toEqual([
        'Facebook: a reply there cannot carry videos — remove the video.',
      ]);
      expect(validateDraftForPlatform('FACEBOOK', { text: 'Ответ', attachments: photos(2) })).toEqual([
        'Facebook: there are 2 attachments; a reply there takes at most 1 — remove 1.',
      ]);
    });

    it('Telegram: 10 attachments fit, 11 do not', () => {
      expect(validateDraftForPlatform('TELEGRAM', { text: 'Ответ', attachments: photos(10) })).toEqual([]);
      expect(validateDraftForPlatform('TELEGRAM', { text: 'Ответ', attachments: photos(11) })).toEqual([
        'Telegram: there are 11 attachments; a reply there takes at most 10 — remove 1.',
      ]);
    });

    it('MAX: 12 attachments fit, 13 do not', () => {
      expect(validateDraftForPlatform('MAX', { text: 'Ответ', attachments: photos(12) })).toEqual([]);
      expect(validateDraftForPlatform('MAX', { text: 'Ответ', attachments: photos(13) })).toHaveLength(1);
    });

    it('X: a video goes alone', () => {
      expect(validateDraftForPlatform('TWITTER', { text: 'Ответ', attachments: [video] })).toEqual([]);
      expect(validateDraftForPlatform('TWITTER', { text: 'Ответ', attachments: photos(4) })).toEqual([]);
      expect(validateDraftForPlatform('TWITTER', { text: 'Ответ', attachments: [video, photo, photo] })).toEqual([
        "X (Twitter): a video must be a reply's only attachment, and this one has 3 (2 photos and a video) — publish the video alone, or the photos without it.",
      ]);
      expect(validateDraftForPlatform('TWITTER', { text: 'Ответ', attachments: [video, video] })).toEqual([
        "X (Twitter): a video must be a reply's only attachment, and this one has 2 (2 videos) — keep one video.",
      ]);
    });

    it('Telegram: a photo of 10 MB fits, one byte more does not', () => {
      const at = (sizeBytes: number) =>
        validateDraftForPlatform('TELEGRAM', { text: 'Ответ', attachments: [photo, { type: 'PHOTO', sizeBytes }] });
      expect(at(10 * MB)).toEqual([]);
      expect(at(10 * MB + 1)).toEqual([
        'Telegram: attachment 2 (photo) is 10.1 MB; a photo there may be at most 10 MB — compress it or replace it.',
      ]);
    });

    it('MAX: a video in a format MAX does not take; a type with parameters or in capitals is read as its type', () => {
      expect(
        validateDraftForPlatform('MAX', {
          text: 'Ответ',
          attachments: [{ type: 'VIDEO', contentType: 'video/x-msvideo' }],
        }),
      ).toEqual([
        'MAX: attachment 1 (video) is video/x-msvideo; a video there must be MP4, MOV, MKV or WEBM — convert it.',
      ]);
      expect(
        validateDraftForPlatform('MAX', {
          text: 'Ответ',
          attachments: [
            { type: 'VIDEO', contentType: 'video/mp4; codecs="avc1.42E01E"' },
            { type: 'PHOTO', contentType: 'IMAGE/JPG' },
          ],
        }),
      ).toEqual([]);
    });

    it('every problem is reported at once, text first, then attachments in order', () => {
      const problems = validateDraftForPlatform('TELEGRAM', {
        text: textOf(1100),
        attachments: [
          ...photos(9),
          { type: 'PHOTO', sizeBytes: 12_345_678 },
          { type: 'VIDEO', contentType: 'video/quicktime' },
        ],
      });
      expect(problems).toEqual([
        'Telegram: the text is 1,100 characters; with 10 photos and a video it is sent as a caption, at most 1,024 — shorten it by 76 or send them separately.',
        'Telegram: there are 11 attachments; a reply there takes at most 10 — remove 1.',
        'Telegram: attachment 10 (photo) is 12.4 MB; a photo there may be at most 10 MB — compress it or replace it.',
        'Telegram: attachment 11 (video) is video/quicktime; a video there must be MP4 — convert it.',
      ]);
    });
  });

  describe('caveats: figures the platform does not confirm', () => {
    it('VK: the 9,000 limit is applied and flagged', () => {
      const preview = previewDraft('VK', { text: 'Ответ', attachments: [photo] });
      expect(preview.fits).toBe(true);
      expect(preview.caveats).toEqual([
        "VK: the limit of 9,000 characters is not confirmed by the platform's documentation.",
        "VK: the limit of 10 attachments is not confirmed by the platform's documentation.",
      ]);
    });

    it('Telegram with a photo: every figure applied is confirmed', () => {
      expect(previewDraft('TELEGRAM', { text: 'Ответ', attachments: [photo] }).caveats).toEqual([]);
    });
  });

  it('an unknown platform is a programming error', () => {
    expect(() => previewDraft('MYSPACE' as Platform, { text: 'Ответ', attachments: [] })).toThrow(
      'channels: no limits for platform MYSPACE',
    );
  });
});
