import 'reflect-metadata';
import { IsInt, IsString, ValidateNested, ValidationError } from 'class-validator';
import { Type } from 'class-transformer';
import {
  defineEvent,
  describeValidationErrors,
  eventFilter,
  eventSubject,
  EventValidationError,
  parseEnvelope,
  validateEventPayload,
} from './event';

class ProbeInnerV1 {
  @IsString() label: string;
}

class ProbeV1 {
  @IsString() title: string;
  @IsInt() count: number;
  @ValidateNested() @Type(() => ProbeInnerV1) inner: ProbeInnerV1;
}

const Probe = defineEvent('probe.happened', 3, ProbeV1);
const ORG = '0b6f4a5e-0000-4000-8000-000000000001';

/** The EventValidationError thrown by `fn`, or a failing assertion when none is thrown. */
function validationErrorOf(fn: () => unknown): EventValidationError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(EventValidationError);
  return caught as EventValidationError;
}

describe('defineEvent: an event name is dotted lower-case words', () => {
  it('accepts dotted lower-case words (underscores allowed) and keeps name, version and payload', () => {
    const type = defineEvent('case.route_due', 2, ProbeV1);
    expect(type).toEqual({ name: 'case.route_due', version: 2, payload: ProbeV1 });
    expect(defineEvent('a.b.c', 1, ProbeV1).name).toBe('a.b.c');
  });

  it('returns a frozen type, so a subject cannot be changed after definition', () => {
    expect(Object.isFrozen(defineEvent('case.opened', 1, ProbeV1))).toBe(true);
  });

  it.each([
    ['a single word (no dot)', 'opened'],
    ['upper-case letters', 'Case.Opened'],
    ['digits', 'case.opened2'],
    ['a hyphen', 'case.re-opened'],
    ['an empty word between dots', 'case..opened'],
    ['a leading dot', '.case.opened'],
    ['a trailing dot', 'case.opened.'],
    ['a NATS wildcard', 'case.*'],
    ['a NATS tail wildcard', 'case.>'],
    ['a space', 'case. opened'],
    ['the empty string', ''],
  ])('rejects a name with %s', (_why, name) => {
    expect(() => defineEvent(name, 1, ProbeV1)).toThrow(`event name "${name}" must be dotted lower-case words`);
  });

  it.each([0, -1, 1.5, Number.NaN])(
    'rejects the version %s: versions are positive integers, one subject token',
    (version) => {
      expect(() => defineEvent('case.opened', version, ProbeV1)).toThrow('must be a positive integer');
    },
  );
});

describe('event subjects: <prefix>.<organizationId>.<name>.v<version>', () => {
  it('eventSubject puts prefix, organisation, name and version in that order', () => {
    expect(eventSubject('otklik', ORG, Probe)).toBe(`otklik.${ORG}.probe.happened.v3`);
  });

  it('eventSubject uses the given prefix, so tests with their own prefix stay apart', () => {
    expect(eventSubject('test_42', 'org', defineEvent('case.opened', 1, ProbeV1))).toBe('test_42.org.case.opened.v1');
  });

  it('eventFilter matches the event type for every organisation with a single-token wildcard', () => {
    expect(eventFilter('otklik', Probe)).toBe('otklik.*.probe.happened.v3');
  });

  it('the filter differs from the subject only in the organisation token', () => {
    const subject = eventSubject('otklik', ORG, Probe).split('.');
    const filter = eventFilter('otklik', Probe).split('.');
    expect(filter).toHaveLength(subject.length);
    expect(filter.map((token, i) => (token === subject[i] ? '=' : token))).toEqual(['=', '*', '=', '=', '=']);
  });

  it('another version of the same event has another subject and filter', () => {
    const v4 = defineEvent('probe.happened', 4, ProbeV1);
    expect(eventSubject('otklik', ORG, v4)).not.toBe(eventSubject('otklik', ORG, Probe));
    expect(eventFilter('otklik', v4)).toBe('otklik.*.probe.happened.v4');
  });
});

describe('describeValidationErrors: class-validator errors as "path: constraint" sentences', () => {
  const error = (property: string, constraints?: Record<string, string>, children?: ValidationError[]) =>
    Object.assign(new ValidationError(), { property, constraints, children });

  it('names the property and states each of its constraints', () => {
    const lines = describeValidationErrors([
      error('title', { isString: 'title must be a string', maxLength: 'title is too long' }),
      error('count', { isInt: 'count must be an integer' }),
    ]);
    expect(lines).toEqual([
      'title: title must be a string',
      'title: title is too long',
      'count: count must be an integer',
    ]);
  });

  it('joins nested properties (objects and array indices) into a dotted path', () => {
    const lines = describeValidationErrors([
      error('author', undefined, [error('url', { isString: 'url must be a string' })]),
      error('attachments', undefined, [
        error('0', undefined, [error('type', { isIn: 'type must be one of PHOTO, VIDEO' })]),
      ]),
    ]);
    expect(lines).toEqual(['author.url: url must be a string', 'attachments.0.type: type must be one of PHOTO, VIDEO']);
  });

  it('lists a parent’s own constraint before its children’s', () => {
    const lines = describeValidationErrors([
      error('attachments', { isArray: 'attachments must be an array' }, [
        error('1', undefined, [error('url', { isString: 'url must be a string' })]),
      ]),
    ]);
    expect(lines).toEqual(['attachments: attachments must be an array', 'attachments.1.url: url must be a string']);
  });

  it('prefixes every path with the given parent', () => {
    expect(describeValidationErrors([error('url', { isString: 'url must be a string' })], 'data.author')).toEqual([
      'data.author.url: url must be a string',
    ]);
  });

  it('says nothing when there are no errors', () => {
    expect(describeValidationErrors([])).toEqual([]);
  });
});

describe('validateEventPayload: a payload is checked against its event class', () => {
  const valid = { title: 'T', count: 2, inner: { label: 'L' } };

  it('returns an instance of the payload class for a valid plain object', () => {
    const payload = validateEventPayload(Probe, valid);
    expect(payload).toBeInstanceOf(ProbeV1);
    expect(payload.inner).toBeInstanceOf(ProbeInnerV1);
    expect(payload).toEqual(valid);
  });

  it('accepts an instance of the payload class as well as a plain object', () => {
    const instance = Object.assign(new ProbeV1(), { title: 'T', count: 1, inner: { label: 'L' } });
    expect(validateEventPayload(Probe, instance)).toEqual({ title: 'T', count: 1, inner: { label: 'L' } });
  });

  it('drops fields the event class does not declare, so they never travel', () => {
    const payload = validateEventPayload(Probe, { ...valid, secret: 'x', inner: { label: 'L', extra: 1 } });
    expect(payload).not.toHaveProperty('secret');
    expect(payload.inner).not.toHaveProperty('extra');
  });

  it('lists every invalid field, nested ones with their path, under the event name', () => {
    const error = validationErrorOf(() => validateEventPayload(Probe, { title: 1, inner: { label: 2 } }));
    expect(error.type).toBe('probe.happened');
    expect(error.name).toBe('EventValidationError');
    expect(error.problems).toEqual([
      'title: title must be a string',
      'count: count must be an integer number',
      'inner.label: label must be a string',
    ]);
    expect(error.message).toBe(`invalid probe.happened payload: ${error.problems.join('; ')}`);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', '{"title":"T"}'],
    ['a number', 42],
  ])('refuses %s as data: it must be an object', (_why, data) => {
    const error = validationErrorOf(() => validateEventPayload(Probe, data));
    expect(error.problems).toEqual(['data: must be an object']);
    expect(error.type).toBe('probe.happened');
  });

  it('refuses an array as data, even an array of valid payloads', () => {
    expect(() => validateEventPayload(Probe, [valid])).toThrow(EventValidationError);
    expect(() => validateEventPayload(Probe, [])).toThrow(EventValidationError);
  });
});

describe('parseEnvelope: the envelope fields every event carries', () => {
  const envelope = {
    eventId: 'e0c6a7a4-7a0e-4a53-9a3b-6a3f2b1c0d9e',
    type: 'case.opened',
    version: 1,
    organizationId: ORG,
    occurredAt: '2025-03-01T10:00:00.000Z',
    correlationId: 'corr-1',
    data: { caseId: 'x' },
  };

  it('returns a complete envelope as it is', () => {
    expect(parseEnvelope(envelope)).toBe(envelope);
  });

  it('names every missing field at once', () => {
    const error = validationErrorOf(() => parseEnvelope({}));
    expect(error.problems).toEqual([
      'eventId: must be a non-empty string',
      'type: must be a non-empty string',
      'organizationId: must be a non-empty string',
      'occurredAt: must be a non-empty string',
      'correlationId: must be a non-empty string',
      'version: must be an integer',
      'data: must be an object',
    ]);
    expect(error.type).toBe('envelope');
  });

  it.each(['eventId', 'type', 'organizationId', 'occurredAt', 'correlationId'] as const)(
    'names %s alone when only it is missing, empty or not a string',
    (key) => {
      const without: Record<string, unknown> = { ...envelope };
      delete without[key];
      for (const raw of [without, { ...envelope, [key]: '' }, { ...envelope, [key]: 7 }]) {
        expect(validationErrorOf(() => parseEnvelope(raw)).problems).toEqual([`${key}: must be a non-empty string`]);
      }
    },
  );

  it.each([
    ['missing', undefined],
    ['a string', '1'],
    ['a fraction', 1.5],
    ['NaN', Number.NaN],
  ])('refuses a version that is %s', (_why, version) => {
    expect(validationErrorOf(() => parseEnvelope({ ...envelope, version })).problems).toEqual([
      'version: must be an integer',
    ]);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['a string', 'x'],
  ])('refuses data that is %s', (_why, data) => {
    expect(validationErrorOf(() => parseEnvelope({ ...envelope, data })).problems).toEqual(['data: must be an object']);
  });

  it('reports the problems under the envelope’s event type when it has one', () => {
    expect(validationErrorOf(() => parseEnvelope({ ...envelope, version: 'one' })).type).toBe('case.opened');
  });

  it.each([
    ['null', null],
    ['a string', 'case.opened'],
    ['a number', 1],
  ])('refuses %s: not a JSON object', (_why, raw) => {
    const error = validationErrorOf(() => parseEnvelope(raw));
    expect(error.problems).toEqual(['not a JSON object']);
    expect(error.type).toBe('envelope');
  });
});

describe('an array is not an event’s data', () => {
  it('validateEventPayload names the problem', () => {
    expect(validationErrorOf(() => validateEventPayload(Probe, [])).problems).toEqual(['data: must be an object']);
  });

  it('parseEnvelope refuses it', () => {
    const envelope = {
      eventId: 'e',
      type: 'probe.happened',
      version: 3,
      organizationId: 'o',
      occurredAt: '2026-11-28T00:00:00Z',
      correlationId: 'c',
      data: [],
    };
    expect(() => parseEnvelope(envelope)).toThrow('data: must be an object');
  });
});
