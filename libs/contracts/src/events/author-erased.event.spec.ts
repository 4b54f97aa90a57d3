import 'reflect-metadata';
import { EventValidationError, validateEventPayload } from '../event';
import { AuthorErased, AuthorErasedV1, MAX_ERASED_MESSAGES_PER_EVENT } from './author-erased.event';

const ERASURE = '0b6f4a5e-0000-4000-8000-000000000001';
const MESSAGE = '7d2c9e14-5b3a-4f6e-8c1d-2a9b8e7f6a50';

const problemsOf = (data: unknown): string[] => {
  try {
    validateEventPayload(AuthorErased, data);
  } catch (error) {
    if (error instanceof EventValidationError) return error.problems;
    throw error;
  }
  throw new Error('the payload passed');
};

describe('author.erased v1 (intake → workflow, notify): an author erased at their request (152-FZ)', () => {
  const valid = { erasureId: ERASURE, messageIds: [MESSAGE], erasedAt: '2026-12-01T03:00:00.000Z' };

  it('is named author.erased, version 1', () => {
    expect([AuthorErased.name, AuthorErased.version, AuthorErased.payload]).toEqual([
      'author.erased',
      1,
      AuthorErasedV1,
    ]);
  });

  it('a complete payload passes unchanged', () => {
    expect(validateEventPayload(AuthorErased, valid)).toEqual(valid);
  });

  it('names messages by their ids only: at least one, at most one part’s worth, each a UUID', () => {
    expect(problemsOf({ ...valid, messageIds: [] })).toEqual([expect.stringMatching(/^messageIds:/)]);
    expect(problemsOf({ ...valid, messageIds: ['id42'] })).toEqual([expect.stringMatching(/^messageIds:/)]);
    const tooMany = Array.from({ length: MAX_ERASED_MESSAGES_PER_EVENT + 1 }, () => MESSAGE);
    expect(problemsOf({ ...valid, messageIds: tooMany })).toEqual([expect.stringMatching(/^messageIds:/)]);
  });

  it('carries no author: a name or an id given along is dropped, not passed on', () => {
    const parsed = validateEventPayload(AuthorErased, { ...valid, authorId: 'id42', authorName: 'Иван Петров' });
    expect(JSON.stringify(parsed)).not.toMatch(/id42|Иван/);
  });
});
