import 'reflect-metadata';
import { EventValidationError, eventSubject, validateEventPayload } from '../event';
import { MessageDeleted, MessageEdited } from './message-changes.event';

const ORG = '0b6f4a5e-0000-4000-8000-000000000001';
const MESSAGE = '7d2c9e14-5b3a-4f6e-8c1d-2a9b8e7f6a50';
const WHEN = '2026-11-27T01:20:00.000Z';

const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof EventValidationError) return error.problems;
    throw error;
  }
  throw new Error('the payload passed');
};

describe('message.edited v1 (intake → workflow)', () => {
  const valid = {
    messageId: MESSAGE,
    sourceId: 'demo-vk',
    platform: 'VK',
    externalId: 'wall-1_123_r9',
    text: 'Воды нет четвёртый день',
    attachments: [{ type: 'PHOTO', url: 'https://sun9-1.userapi.com/x.jpg' }],
    editedAt: WHEN,
    previousVersions: 1,
    screening: { reasons: [] },
  };

  it('is named message.edited, version 1, on the organisation’s subject', () => {
    expect([MessageEdited.name, MessageEdited.version]).toEqual(['message.edited', 1]);
    expect(eventSubject('otklik', ORG, MessageEdited)).toBe(`otklik.${ORG}.message.edited.v1`);
  });

  it('a complete payload passes unchanged', () => {
    expect(validateEventPayload(MessageEdited, valid)).toEqual(valid);
  });

  it('the new text’s screening and the count of earlier versions are required', () => {
    const incomplete: Partial<typeof valid> = { ...valid };
    delete incomplete.screening;
    delete incomplete.previousVersions;
    expect(problemsOf(() => validateEventPayload(MessageEdited, incomplete)).map((p) => p.split(':')[0])).toEqual(
      expect.arrayContaining(['previousVersions', 'screening']),
    );
    expect(problemsOf(() => validateEventPayload(MessageEdited, { ...valid, previousVersions: 0 }))).toEqual([
      'previousVersions: previousVersions must not be less than 1',
    ]);
  });
});

describe('message.deleted v1 (intake → workflow)', () => {
  const valid = {
    messageId: MESSAGE,
    sourceId: 'demo-vk',
    platform: 'VK',
    externalId: 'wall-1_123_r9',
    deletedAt: WHEN,
    deletedBy: 'id42',
  };

  it('is named message.deleted, version 1', () => {
    expect([MessageDeleted.name, MessageDeleted.version]).toEqual(['message.deleted', 1]);
  });

  it('a complete payload passes; who deleted it may be unknown', () => {
    expect(validateEventPayload(MessageDeleted, valid)).toEqual(valid);
    const anonymous: Partial<typeof valid> = { ...valid };
    delete anonymous.deletedBy;
    expect(validateEventPayload(MessageDeleted, anonymous)).toEqual(anonymous);
  });

  it('the message id must be a UUID and the moment ISO 8601', () => {
    expect(
      problemsOf(() => validateEventPayload(MessageDeleted, { ...valid, messageId: 'm1', deletedAt: 'yesterday' })).map(
        (p) => p.split(':')[0],
      ),
    ).toEqual(['messageId', 'deletedAt']);
  });
});
