import { JetStreamApiError, JetStreamManager, RetentionPolicy, StorageType, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { deadLetterSubject, streamNames } from './messaging.options';
import { ensureStreams, streamConfigs } from './streams';

const MINUTE_NS = nanos(60 * 1000);
const DAY_NS = nanos(24 * 60 * 60 * 1000);

/** Whether some subject matches both NATS subject filters (`*` one token, `>` one or more at the end). */
function overlap(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === '>' || y[i] === '>') return i < x.length && i < y.length;
    if (x[i] === undefined || y[i] === undefined) return false;
    if (x[i] !== y[i] && x[i] !== '*' && y[i] !== '*') return false;
  }
  return true;
}

describe('the overlap helper itself', () => {
  it.each([
    ['otklik.>', 'otklik.org.case.opened.v1', true],
    ['otklik.*.case.opened.v1', 'otklik.>', true],
    ['otklik.>', 'otklik', false],
    ['otklik.>', 'otklik-dlq.>', false],
    ['a.*.c', 'a.b.d', false],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(overlap(a, b)).toBe(expected);
  });
});

describe('streamNames: the JetStream stream names of a prefix', () => {
  it('are <PREFIX>_EVENTS and <PREFIX>_DLQ, upper-cased', () => {
    expect(streamNames('otklik')).toEqual({ events: 'OTKLIK_EVENTS', deadLetters: 'OTKLIK_DLQ' });
    expect(streamNames('t_42')).toEqual({ events: 'T_42_EVENTS', deadLetters: 'T_42_DLQ' });
  });
});

describe('deadLetterSubject: where a consumer parks an event it cannot process', () => {
  it('is <prefix>-dlq.<consumer>.<original subject>', () => {
    expect(deadLetterSubject('otklik', 'workflow-open-case', 'otklik.org-1.message.accepted.v1')).toBe(
      'otklik-dlq.workflow-open-case.otklik.org-1.message.accepted.v1',
    );
  });

  it('lands in the dead-letter stream, never back in the events stream', () => {
    const [events, deadLetters] = streamConfigs('otklik');
    const subject = deadLetterSubject('otklik', 'notify-staff', 'otklik.org-1.staff.appointed.v1');
    expect(overlap(deadLetters.subjects[0], subject)).toBe(true);
    expect(overlap(events.subjects[0], subject)).toBe(false);
  });
});

describe('streamConfigs: the events stream and the dead-letter stream', () => {
  const [events, deadLetters] = streamConfigs('otklik');

  it('the events stream takes <prefix>.> and the dead-letter stream <prefix>-dlq.>', () => {
    expect(events).toMatchObject({ name: 'OTKLIK_EVENTS', subjects: ['otklik.>'] });
    expect(deadLetters).toMatchObject({ name: 'OTKLIK_DLQ', subjects: ['otklik-dlq.>'] });
  });

  it('their subjects do not overlap (JetStream refuses overlapping streams)', () => {
    for (const a of events.subjects) for (const b of deadLetters.subjects) expect(overlap(a, b)).toBe(false);
  });

  it('streams of different prefixes (one per test file) do not overlap either', () => {
    const subjects = ['otklik', 'test_a', 'test_b'].flatMap((p) => streamConfigs(p).flatMap((c) => c.subjects));
    for (const [i, a] of subjects.entries()) {
      for (const b of subjects.slice(i + 1)) expect(overlap(a, b)).toBe(false);
    }
  });

  it('the events stream de-duplicates by Nats-Msg-Id over two minutes, so a republished outbox row is dropped', () => {
    expect(events.duplicate_window).toBe(2 * MINUTE_NS);
  });

  it('events are kept seven days, dead letters thirty, both on file with limits retention', () => {
    expect(events).toMatchObject({ max_age: 7 * DAY_NS, storage: StorageType.File, retention: RetentionPolicy.Limits });
    expect(deadLetters).toMatchObject({
      max_age: 30 * DAY_NS,
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
    });
  });
});

describe('ensureStreams: creates the streams or brings them up to date', () => {
  const apiError = (code: number, description: string, err_code = 10000 + code) =>
    new JetStreamApiError({ code, err_code, description });

  /** A JetStreamManager whose streams API records calls; `info` and `add` behave as told. */
  function fakeManager(behaviour: { info?: (name: string) => Promise<unknown>; add?: () => Promise<unknown> }) {
    const calls: string[] = [];
    const streams = {
      info: (name: string) => {
        calls.push(`info ${name}`);
        return behaviour.info ? behaviour.info(name) : Promise.resolve({});
      },
      update: (name: string, config: Partial<StreamConfig>) => {
        calls.push(`update ${name} ${config.subjects?.join(',')}`);
        return Promise.resolve({});
      },
      add: (config: Partial<StreamConfig>) => {
        calls.push(`add ${config.name} ${config.subjects?.join(',')}`);
        return behaviour.add ? behaviour.add() : Promise.resolve({});
      },
    };
    return { jsm: { streams } as unknown as JetStreamManager, calls };
  }

  it('updates streams that exist', async () => {
    const { jsm, calls } = fakeManager({});
    await ensureStreams(jsm, 'otklik');
    expect(calls).toEqual([
      'info OTKLIK_EVENTS',
      'update OTKLIK_EVENTS otklik.>',
      'info OTKLIK_DLQ',
      'update OTKLIK_DLQ otklik-dlq.>',
    ]);
  });

  it('creates streams that are not found (404)', async () => {
    const { jsm, calls } = fakeManager({ info: () => Promise.reject(apiError(404, 'stream not found')) });
    await ensureStreams(jsm, 'otklik');
    expect(calls).toEqual([
      'info OTKLIK_EVENTS',
      'add OTKLIK_EVENTS otklik.>',
      'info OTKLIK_DLQ',
      'add OTKLIK_DLQ otklik-dlq.>',
    ]);
  });

  it('a replica that lost the race to create a stream carries on', async () => {
    const { jsm, calls } = fakeManager({
      info: () => Promise.reject(apiError(404, 'stream not found')),
      add: () => Promise.reject(apiError(400, 'stream name already in use with a different configuration')),
    });
    await expect(ensureStreams(jsm, 'otklik')).resolves.toBeUndefined();
    expect(calls.filter((c) => c.startsWith('add'))).toHaveLength(2);
  });

  it('any other failure stops start-up', async () => {
    const denied = apiError(503, 'JetStream not enabled');
    await expect(ensureStreams(fakeManager({ info: () => Promise.reject(denied) }).jsm, 'otklik')).rejects.toBe(denied);
    const network = new Error('connection closed');
    await expect(ensureStreams(fakeManager({ info: () => Promise.reject(network) }).jsm, 'otklik')).rejects.toBe(
      network,
    );
    const refused = apiError(400, 'subjects overlap with an existing stream');
    await expect(
      ensureStreams(
        fakeManager({
          info: () => Promise.reject(apiError(404, 'stream not found')),
          add: () => Promise.reject(refused),
        }).jsm,
        'otklik',
      ),
    ).rejects.toBe(refused);
  });
});
