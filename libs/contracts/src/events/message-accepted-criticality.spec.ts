import 'reflect-metadata';
import { EventValidationError, validateEventPayload } from '../event';
import { MessageAccepted } from './message-accepted.event';

describe('message.accepted v1 carries criticality’s verdict (cl. 1), optional for older producers', () => {
  const WHEN = '2025-03-01T10:15:00.000Z';
  const valid = {
    messageId: '0b6f4a5e-0000-4000-8000-000000000001',
    sourceId: 'src-vk-1',
    platform: 'VK',
    externalId: 'wall-1_100',
    text: 'Спасибо за праздник!',
    postedAt: WHEN,
    receivedAt: WHEN,
    attachments: [],
  };

  it('passes with the verdict and without it', () => {
    expect(validateEventPayload(MessageAccepted, { ...valid, criticality: { critical: false } })).toEqual({
      ...valid,
      criticality: { critical: false },
    });
    expect(validateEventPayload(MessageAccepted, valid).criticality).toBeUndefined();
  });

  it('refuses a verdict that is not a boolean, naming the field', () => {
    expect(() => validateEventPayload(MessageAccepted, { ...valid, criticality: { critical: 'no' } })).toThrow(
      new EventValidationError('message.accepted', ['criticality.critical: critical must be a boolean value']),
    );
  });
});
