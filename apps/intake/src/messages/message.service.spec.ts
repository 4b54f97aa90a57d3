import { MessageAccepted } from '@otklik/contracts';
import type { EventOutbox } from '@otklik/messaging';
import { callContext, orgsScope } from '@otklik/observability';
import type { UnitOfWork } from '@otklik/persistence';
import type { MessageEntity } from './message.entity';
import type { MessageRepository } from './message.repository';
import { IncomingMessage, MessageService } from './message.service';

const ORG = '0b6f4a5e-0000-4000-8000-000000000001';
const ID_A = '3f0c2c4e-0000-4000-8000-00000000000a';

const incoming = (): IncomingMessage => ({
  organizationId: ORG,
  sourceId: 'demo-webhook',
  externalId: 'post-1',
  platform: 'VK',
  text: 'Нет воды',
  postedAt: new Date('2026-11-27T01:15:00Z'),
  author: { name: 'Иван Петров' },
  attachments: [{ type: 'PHOTO', url: 'https://example.com/a.jpg' }],
  raw: { externalId: 'post-1' },
});

function setup() {
  const repository = {
    insertIfNew: jest.fn<Promise<{ receivedAt: Date } | null>, [unknown]>(),
    findIdByExternalId: jest.fn<Promise<string | null>, [string, string]>(),
    findByIds: jest.fn<Promise<MessageEntity[]>, [readonly string[]]>(),
  };
  const outbox = { add: jest.fn(() => Promise.resolve()) };
  const uow = { run: <T>(work: () => Promise<T>) => work() };
  const service = new MessageService(
    uow as unknown as UnitOfWork,
    repository as unknown as MessageRepository,
    outbox as unknown as EventOutbox,
  );
  return { service, repository, outbox };
}

const inCall = <T>(fn: () => Promise<T>) =>
  callContext.run({ correlationId: 'corr-1', orgScope: orgsScope([ORG]) }, fn);

describe('MessageService.accept: stored once per (source, external id), announced in the same transaction', () => {
  it('a new message is stored with the call’s correlation id and announced as MessageAccepted', async () => {
    const { service, repository, outbox } = setup();
    repository.insertIfNew.mockResolvedValue({ receivedAt: new Date('2026-11-27T01:16:00Z') });
    const accepted = await inCall(() => service.accept(incoming()));
    expect(accepted).toEqual({ messageId: expect.any(String), duplicate: false });
    expect(repository.insertIfNew).toHaveBeenCalledWith(
      expect.objectContaining({
        id: accepted.messageId,
        organizationId: ORG,
        correlationId: 'corr-1',
        url: null,
        threadId: null,
      }),
    );
    expect(outbox.add).toHaveBeenCalledWith(MessageAccepted, ORG, {
      messageId: accepted.messageId,
      sourceId: 'demo-webhook',
      platform: 'VK',
      externalId: 'post-1',
      url: undefined,
      text: 'Нет воды',
      postedAt: '2026-11-27T01:15:00.000Z',
      receivedAt: '2026-11-27T01:16:00.000Z',
      author: { name: 'Иван Петров' },
      threadId: undefined,
      attachments: [{ type: 'PHOTO', url: 'https://example.com/a.jpg' }],
      screening: { reasons: [] },
      criticality: { critical: true },
    });
  });

  it('criticality’s verdict (cl. 1) is stored whole and announced as critical or not', async () => {
    const { service, repository, outbox } = setup();
    repository.insertIfNew.mockResolvedValue({ receivedAt: new Date('2026-11-27T01:16:00Z') });
    await inCall(() => service.accept({ ...incoming(), text: 'Спасибо большое за праздник, молодцы!' }));
    expect(repository.insertIfNew).toHaveBeenCalledWith(
      expect.objectContaining({
        criticality: {
          critical: false,
          score: -6,
          signals: [
            { kind: 'PRAISE', evidence: 'Спасибо' },
            { kind: 'PRAISE', evidence: 'молодцы' },
          ],
        },
      }),
    );
    expect(outbox.add).toHaveBeenCalledWith(
      MessageAccepted,
      ORG,
      expect.objectContaining({ criticality: { critical: false } }),
    );
  });

  it('a duplicate answers with the stored id and announces nothing', async () => {
    const { service, repository, outbox } = setup();
    repository.insertIfNew.mockResolvedValue(null);
    repository.findIdByExternalId.mockResolvedValue(ID_A);
    await expect(inCall(() => service.accept(incoming()))).resolves.toEqual({ messageId: ID_A, duplicate: true });
    expect(repository.findIdByExternalId).toHaveBeenCalledWith('demo-webhook', 'post-1');
    expect(outbox.add).not.toHaveBeenCalled();
  });
});

describe('MessageService.findByIds', () => {
  it('ids that are not UUIDs find nothing and never reach PostgreSQL (which would fail the whole batch)', async () => {
    const { service, repository } = setup();
    repository.findByIds.mockResolvedValue([{ id: ID_A } as MessageEntity]);
    await expect(service.findByIds(['not-a-uuid', ID_A])).resolves.toEqual([null, { id: ID_A }]);
    expect(repository.findByIds).toHaveBeenCalledWith([ID_A]);
    await expect(service.findByIds(['x'])).resolves.toEqual([null]);
    expect(repository.findByIds).toHaveBeenCalledTimes(1);
  });
});
