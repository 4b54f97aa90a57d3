import type { EventEnvelope, PublicationCompletedV1 } from '@otklik/contracts';
import type { NotificationService } from './notification.service';
import { publicationFailedNotice } from './notification.rules';
import { PublicationFailedHandler } from './publication-failed.handler';

const ORG = '0b6f4a5e-0000-4000-8000-000000000002';

const completed = (status: PublicationCompletedV1['status']): PublicationCompletedV1 => ({
  publicationId: '0b6f4a5e-0000-4000-8000-000000000010',
  caseId: '0b6f4a5e-0000-4000-8000-000000000011',
  status,
  error: 'Ключ доступа сообщества ВКонтакте отозван или неверен — обновите его в настройках источника',
  attempts: 1,
  at: '2025-03-03T10:00:00.000Z',
  organizationPath: [ORG],
});

const envelope = (data: PublicationCompletedV1): EventEnvelope<PublicationCompletedV1> => ({
  eventId: '0b6f4a5e-0000-4000-8000-000000000012',
  type: 'publication.completed',
  version: 1,
  organizationId: ORG,
  occurredAt: data.at,
  correlationId: 'c-1',
  data,
});

describe('a failed publication is told to the officials (issue 5: "a failed publication → the official")', () => {
  const notifyPublicationFailed = jest.fn().mockResolvedValue([]);
  const handler = new PublicationFailedHandler({ notifyPublicationFailed } as unknown as NotificationService);

  beforeEach(() => notifyPublicationFailed.mockClear());

  it('FAILED: the officials are told', async () => {
    const data = completed('FAILED');
    await handler.handle(data, envelope(data));
    expect(notifyPublicationFailed).toHaveBeenCalledWith(envelope(data), data);
  });

  it.each(['PUBLISHED', 'MANUAL'] as const)('%s: nobody is told', async (status) => {
    const data = completed(status);
    await handler.handle(data, envelope(data));
    expect(notifyPublicationFailed).not.toHaveBeenCalled();
  });

  it('the nearest officials hear the reason and what they can do', () => {
    expect(publicationFailedNotice(completed('FAILED').error)).toEqual({
      kind: 'PUBLICATION_FAILED',
      text:
        'Ответ по обращению не опубликован: Ключ доступа сообщества ВКонтакте отозван или неверен — обновите его в ' +
        'настройках источника. Повторите публикацию или опубликуйте ответ вручную и укажите ссылку',
      audiences: [{ type: 'nearest', role: 'OFFICIAL' }],
    });
  });
});
