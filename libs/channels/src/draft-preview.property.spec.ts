import fc from 'fast-check';
import { PLATFORMS } from '@otklik/contracts';
import { DraftAttachment, normaliseDraftText, previewDraft } from './draft-preview';
import { ATTACHMENT_KINDS, PLATFORM_LIMITS } from './platform-limits';
import { countLength } from './text-length';

const platform = fc.constantFrom(...PLATFORMS);

/** Any text, and long runs near the limits, with emoji, line breaks and blank runs in them. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc
    .tuple(
      fc.constantFrom('а', 'a ', '\u{1F600}', '中', '\r\n', 'абв\n\n\n\n', 'x\r\n \r\n\t\r\n\r\n', 'https://x.co '),
      fc.integer({ min: 0, max: 4200 }),
    )
    .map(([piece, n]) => piece.repeat(n)),
);

const attachment: fc.Arbitrary<DraftAttachment> = fc.record(
  {
    type: fc.constantFrom(...ATTACHMENT_KINDS),
    contentType: fc.constantFrom('image/jpeg', 'image/webp', 'video/mp4', 'video/quicktime'),
    sizeBytes: fc.integer({ min: 0, max: 300_000_000 }),
  },
  { requiredKeys: ['type'] },
);
const attachments = fc.array(attachment, { maxLength: 14 });

describe('previewDraft: properties', () => {
  it('fits exactly when there are no problems', () => {
    fc.assert(
      fc.property(platform, text, attachments, (p, t, a) => {
        const preview = previewDraft(p, { text: t, attachments: a });
        expect(preview.fits).toBe(preview.problems.length === 0);
      }),
    );
  });

  it('the length is the platform count of the text as sent', () => {
    fc.assert(
      fc.property(platform, text, attachments, (p, t, a) => {
        const preview = previewDraft(p, { text: t, attachments: a });
        expect(preview.length).toBe(countLength(preview.text, PLATFORM_LIMITS[p].counting.value));
        expect(preview.attachmentCount).toBe(a.length);
      }),
    );
  });

  it('without attachments, a non-empty text fits exactly when it is within the limit', () => {
    fc.assert(
      fc.property(platform, text, (p, t) => {
        const preview = previewDraft(p, { text: t, attachments: [] });
        const within = preview.maxLength === null || preview.length <= preview.maxLength;
        expect(preview.fits).toBe(preview.text !== '' && within);
      }),
    );
  });

  it('the text as sent is already normal: no CR, no padding, at most two blank lines in a row', () => {
    fc.assert(
      fc.property(text, (t) => {
        const sent = normaliseDraftText(t);
        expect(normaliseDraftText(sent)).toBe(sent);
        expect(sent).not.toMatch(/\r/);
        expect(sent).toBe(sent.trim());
        expect(sent).not.toMatch(/\n(?:[^\S\n]*\n){3}/);
      }),
    );
  });
});
