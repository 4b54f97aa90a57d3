import type { EventEnvelope } from '@otklik/contracts';
import { describeCaseEvent } from './subscription.bridge';

const transition = (action: string): EventEnvelope => ({
  eventId: '0b6f4a5e-0000-4000-8000-000000000001',
  type: 'case.transitioned',
  version: 1,
  organizationId: '0b6f4a5e-0000-4000-8000-000000000002',
  occurredAt: '2025-03-03T10:00:00.000Z',
  correlationId: 'c-1',
  data: {
    caseId: '0b6f4a5e-0000-4000-8000-000000000003',
    action,
    fromStatus: 'ANSWERED',
    toStatus: 'ANSWERED',
    actor: 'system',
    reason: 'FINAL answer published: https://vk.com/wall-1_5?reply=77',
  },
});

describe('caseEvents: a publication’s outcome shows as its own event type (Step 5)', () => {
  it.each([
    ['ANSWER_PUBLISHED', 'PUBLISHED'],
    ['PUBLICATION_FAILED', 'PUBLICATION_FAILED'],
    ['RETRY_PUBLICATION', 'TRANSITIONED'],
    ['ROUTE', 'TRANSITIONED'],
  ])('case.transitioned %s → %s, with the move’s fields', (action, type) => {
    expect(describeCaseEvent(transition(action))).toEqual({
      type,
      action,
      from: 'ANSWERED',
      to: 'ANSWERED',
      actor: 'system',
      reason: 'FINAL answer published: https://vk.com/wall-1_5?reply=77',
    });
  });
});
