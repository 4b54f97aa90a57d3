import { withScreening } from './case-workflow.service';

describe('a first decision set against screening’s proposal (cl. 11), in the history line', () => {
  const detected = (reasons: string[] | null) => ({ status: 'DETECTED' as const, screeningReasons: reasons });

  it.each([
    [
      'excluding a flagged case confirms screening',
      ['THREAT', 'INSULT'],
      true,
      'r; confirms screening (THREAT, INSULT)',
    ],
    [
      'routing a flagged case overrules it',
      ['OBSCENE'],
      false,
      'r; overrules screening, which proposed exclusion (OBSCENE)',
    ],
    ['excluding a clean case: screening had found nothing', [], true, 'r; screening had found nothing'],
    ['routing a clean case: nothing to add', [], false, 'r'],
    ['a case opened before screening: nothing to add', null, true, 'r'],
  ])('%s', (_rule, reasons, excluding, expected) => {
    expect(withScreening('r', detected(reasons), excluding)).toBe(expected);
  });

  it('only the first decision counts: a case already routed adds nothing', () => {
    expect(withScreening('r', { status: 'ROUTED', screeningReasons: ['THREAT'] }, true)).toBe('r');
  });
});
