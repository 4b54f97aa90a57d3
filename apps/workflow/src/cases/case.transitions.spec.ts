import { CASE_STATUSES, CaseStatus } from '@otklik/contracts';
import { mutationsFrom, OPEN_STATUSES, outcomeOf, TRANSITIONS } from './case.transitions';

describe('the table of transitions (REQUIREMENTS "What a case goes through")', () => {
  it('has every mutation of CONTRACT.md', () => {
    const mutations = new Set(Object.values(TRANSITIONS).map((r) => r.mutation));
    for (const name of [
      'routeCase',
      'registerCase',
      'assignCase',
      'submitDraft',
      'returnDraft',
      'approveDraft',
      'excludeCase',
      'dismissCase',
    ]) {
      expect(mutations).toContain(name);
    }
  });

  it('reaches every status from DETECTED', () => {
    const reached = new Set<CaseStatus>(['DETECTED']);
    for (let grew = true; grew;) {
      grew = false;
      for (const rule of Object.values(TRANSITIONS)) {
        if (!rule.from.some((s) => reached.has(s))) continue;
        const targets = rule.byDraftKind ? Object.values(rule.byDraftKind).map((o) => o.to) : [rule.to];
        for (const to of targets) {
          if (to !== 'SAME' && !reached.has(to)) {
            reached.add(to);
            grew = true;
          }
        }
      }
    }
    expect([...reached].sort()).toEqual([...CASE_STATUSES].sort());
  });

  it('approval moves by the draft’s kind: FINAL → ANSWERED, INTERIM → AWAITING_FINAL (FINAL starts, cl. 8), CLARIFICATION → AWAITING_AUTHOR', () => {
    const approve = TRANSITIONS.APPROVE_DRAFT;
    expect(outcomeOf(approve, 'FINAL')).toMatchObject({ to: 'ANSWERED', settles: ['ANSWER', 'FINAL'] });
    expect(outcomeOf(approve, 'INTERIM')).toMatchObject({ to: 'AWAITING_FINAL', starts: ['FINAL'] });
    expect(outcomeOf(approve, 'CLARIFICATION')).toMatchObject({ to: 'AWAITING_AUTHOR', settles: ['ANSWER'] });
    expect(() => outcomeOf(approve)).toThrow(/draft's kind/);
  });

  it('the deadlines start where REQUIREMENTS says: ROUTE at detection, ANSWER at registration, DRAFT at assignment', () => {
    expect(TRANSITIONS.OPEN.starts).toEqual(['ROUTE']);
    expect(TRANSITIONS.REGISTER.starts).toEqual(['ANSWER']);
    expect(TRANSITIONS.ASSIGN.starts).toEqual(['DRAFT']);
    expect(TRANSITIONS.ROUTE.settles).toEqual(['ROUTE']);
    expect(TRANSITIONS.SUBMIT_DRAFT.settles).toEqual(['DRAFT']);
  });

  it('leaving the regulation’s path cancels what is open but ROUTE, which the decision meets', () => {
    for (const rule of [TRANSITIONS.EXCLUDE, TRANSITIONS.DISMISS]) {
      expect(rule.settles).toEqual(['ROUTE']);
      expect([...rule.cancels].sort()).toEqual(['ANSWER', 'DRAFT', 'FINAL']);
    }
    expect(TRANSITIONS.EXCLUDE.from).toEqual(OPEN_STATUSES);
  });

  it('no person may take workflow’s own transitions, and every other one names who may', () => {
    for (const rule of Object.values(TRANSITIONS)) {
      if (rule.mutation === '—') expect(rule.who).toEqual(['SYSTEM']);
      else expect(rule.who.length > 0 && !rule.who.includes('SYSTEM')).toBe(true);
    }
  });

  it('tells what may be called from a status, for the CONFLICT message', () => {
    expect(mutationsFrom('DETECTED')).toEqual(['routeCase', 'excludeCase', 'dismissCase']);
    expect(mutationsFrom('DRAFT_SUBMITTED')).toEqual(['returnDraft', 'approveDraft', 'excludeCase']);
    expect(mutationsFrom('EXCLUDED')).toEqual([]);
  });
});
