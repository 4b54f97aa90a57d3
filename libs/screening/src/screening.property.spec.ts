import fc from 'fast-check';
import { inspectText, screenText } from './screening';

/** Words screening must flag as OBSCENE however they are written. */
const FLAGGED = ['хуй', 'пизда', 'пиздец', 'блядь', 'ебать', 'заебали', 'нахуй', 'мудак', 'охуели'];
/** Cyrillic letters and Latin or digit look-alikes an author may put in their place. */
const LOOK_ALIKES: Readonly<Record<string, readonly string[]>> = {
  а: ['a', '@'], е: ['e', 'ё'], о: ['o', '0'], р: ['p'], с: ['c'], х: ['x'], у: ['y'], к: ['k'], з: ['3'], б: ['6'],
}; // prettier-ignore
const SEPARATOR = fc.constantFrom('.', ' ', '-', '_', '*', ' . ', '..');

/** A flagged word with some letters swapped for look-alikes, some repeated, and the same separator (or none) between letters. */
const obfuscated = fc
  .record({
    word: fc.constantFrom(...FLAGGED),
    swaps: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    repeats: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 8, maxLength: 8 }),
    separator: fc.option(SEPARATOR, { nil: undefined }),
    upper: fc.boolean(),
  })
  .map(({ word, swaps, repeats, separator, upper }) => {
    const letters = [...word].map((ch, i) => {
      const alike = LOOK_ALIKES[ch];
      const shown = swaps[i % swaps.length] && alike ? alike[i % alike.length] : ch;
      return shown.repeat(separator ? 1 : repeats[i % repeats.length]);
    });
    const written = letters.join(separator ?? '');
    return upper ? written.toUpperCase() : written;
  });

const context = fc.constantFrom('', 'Когда сделаете дорогу? ', 'Администрация, ', 'Опять нет воды, ');

describe('screening properties', () => {
  it('a flagged word stays flagged with look-alike letters, repeats or separators between its letters', () => {
    fc.assert(
      fc.property(context, obfuscated, context, (before, word, after) => {
        expect(screenText(`${before}${word} ${after}`).reasons).toContain('OBSCENE');
      }),
      { numRuns: 500 },
    );
  });

  it('every evidence span is a substring of the input, at the offsets the report gives', () => {
    const text = fc
      .array(
        fc.oneof(
          obfuscated,
          fc.constantFrom('вы', 'идиоты', 'я', 'тебя', 'убью', 'дорога', ',', '!', 'воды нет', 'глава'),
        ),
        {
          maxLength: 12,
        },
      )
      .map((parts) => parts.join(' '));
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: 'grapheme' })), (input) => {
        const report = inspectText(input);
        for (const match of report.matches) {
          expect(input.slice(match.start, match.end)).toBe(match.text);
          expect(match.start).toBeLessThan(match.end);
        }
        for (const evidence of report.evidence) expect(input).toContain(evidence);
        expect(report.excluded).toBe(report.reasons.length > 0);
      }),
      { numRuns: 500 },
    );
  });
});
