import 'reflect-metadata';
import { EventType, EventValidationError, validateEventPayload } from '../event';
import { DeadlineAtRisk, DeadlineAtRiskV1 } from './deadline-at-risk.event';
import { DeadlineBreached, DeadlineBreachedV1 } from './deadline-breached.event';
import { DeadlineRescheduled, DeadlineRescheduledV1 } from './deadline-rescheduled.event';

const DEADLINE = '0b6f4a5e-0000-4000-8000-000000000001';
const CASE = '7d2c9e14-5b3a-4f6e-8c1d-2a9b8e7f6a50';
const USER = '3f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';

/** The distinct fields named by the problems of an invalid payload; fails when it passes. */
function invalidFields<P extends object>(type: EventType<P>, data: unknown): string[] {
  let caught: unknown;
  try {
    validateEventPayload(type, data);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(EventValidationError);
  return [...new Set((caught as EventValidationError).problems.map((p) => p.slice(0, p.indexOf(':'))))];
}

describe.each([
  ['deadline.at_risk', DeadlineAtRisk, DeadlineAtRiskV1],
  ['deadline.breached', DeadlineBreached, DeadlineBreachedV1],
] as const)('%s v1 (workflow)', (name, type, payload) => {
  const valid = {
    deadlineId: DEADLINE,
    caseId: CASE,
    kind: 'ROUTE',
    dueAt: '2026-12-01T03:00:00.000Z',
    responsibleUserId: USER,
    firedAt: '2026-12-01T01:00:00.000Z',
  };

  it(`is named ${name}, version 1`, () => {
    expect([type.name, type.version, type.payload]).toEqual([name, 1, payload]);
  });

  it('a complete payload passes unchanged, and responsibleUserId may be left out', () => {
    expect(validateEventPayload<object>(type, valid)).toEqual(valid);
    const unassigned: Partial<typeof valid> = { ...valid };
    delete unassigned.responsibleUserId;
    expect(validateEventPayload<object>(type, unassigned)).toEqual(unassigned);
  });

  it('an empty object lists every required field', () => {
    expect(invalidFields<object>(type, {})).toEqual(['deadlineId', 'caseId', 'kind', 'dueAt', 'firedAt']);
  });

  it('every invalid field is listed: ids are UUIDs, the kind is one of the four, times are ISO 8601', () => {
    expect(
      invalidFields<object>(type, {
        deadlineId: 'x',
        caseId: 'y',
        kind: 'LUNCH',
        dueAt: 'tomorrow',
        responsibleUserId: 'z',
        firedAt: 'now',
      }),
    ).toEqual(['deadlineId', 'caseId', 'kind', 'dueAt', 'responsibleUserId', 'firedAt']);
  });
});

describe('deadline.rescheduled v1 (workflow)', () => {
  const valid: DeadlineRescheduledV1 = {
    deadlineId: DEADLINE,
    caseId: CASE,
    kind: 'FINAL',
    previousDueAt: '2027-11-15T10:00:00.000Z',
    dueAt: '2027-11-13T10:00:00.000Z',
    responsibleUserId: USER,
    reason: 'CALENDAR',
    at: '2027-11-10T03:00:00.000Z',
  };

  it('is named deadline.rescheduled, version 1', () => {
    expect([DeadlineRescheduled.name, DeadlineRescheduled.version]).toEqual(['deadline.rescheduled', 1]);
  });

  it('a complete payload passes unchanged, for either reason, and responsibleUserId may be left out', () => {
    expect(validateEventPayload(DeadlineRescheduled, valid)).toEqual(valid);
    const unassigned: Partial<DeadlineRescheduledV1> = { ...valid, reason: 'POLICY' };
    delete unassigned.responsibleUserId;
    expect(validateEventPayload(DeadlineRescheduled, unassigned)).toEqual(unassigned);
  });

  it('every invalid field is listed: the reason is CALENDAR or POLICY, both due moments are ISO 8601', () => {
    expect(invalidFields<object>(DeadlineRescheduled, {})).toEqual([
      'deadlineId',
      'caseId',
      'kind',
      'previousDueAt',
      'dueAt',
      'reason',
      'at',
    ]);
    expect(
      invalidFields<object>(DeadlineRescheduled, { ...valid, previousDueAt: 'last week', reason: 'WHIM', at: 'now' }),
    ).toEqual(['previousDueAt', 'reason', 'at']);
  });
});
