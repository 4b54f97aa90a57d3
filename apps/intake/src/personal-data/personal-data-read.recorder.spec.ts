import type { Viewer } from '@otklik/auth';
import { callContext, orgsScope } from '@otklik/observability';
import type { UnitOfWork } from '@otklik/persistence';
import type { NewPersonalDataReads, PersonalDataReadRepository } from './personal-data-read.repository';
import { PersonalDataReadRecorder } from './personal-data-read.recorder';

const ORG = '0b6f4a5e-0000-4000-8000-000000000001';
const MESSAGE_A = '3f0c2c4e-0000-4000-8000-00000000000a';
const MESSAGE_B = '3f0c2c4e-0000-4000-8000-00000000000b';

const viewer: Viewer = {
  userId: 'u-1',
  login: 'official',
  displayName: 'Official',
  roles: [{ organizationId: ORG, role: 'OFFICIAL' }],
  visibleOrganizationIds: [ORG],
};

function setup(insert: (batch: NewPersonalDataReads) => Promise<void> = () => Promise.resolve()) {
  const repository = { insertMany: jest.fn(insert) };
  const scopes: unknown[] = [];
  const uow = {
    runIsolated: <T>(work: () => Promise<T>) => {
      scopes.push(callContext.require());
      return work();
    },
  };
  const recorder = new PersonalDataReadRecorder(
    uow as unknown as UnitOfWork,
    repository as unknown as PersonalDataReadRepository,
  );
  return { recorder, repository, scopes };
}

const inRequest = <T>(correlationId: string, fn: () => Promise<T>) =>
  callContext.run({ correlationId, orgScope: orgsScope([ORG]), actor: viewer.login }, fn);

const read = (messageId: string, field: 'AUTHOR_ID' | 'AUTHOR_NAME' | 'AUTHOR_URL') => ({
  messageId,
  organizationId: ORG,
  field,
});

describe('every staff read of an author’s personal data is logged (152-FZ), one row per request and message', () => {
  it('the fields of every author a request reads in one turn are written in one insert, one row per message', async () => {
    const { recorder, repository, scopes } = setup();
    const request = {};
    await inRequest('corr-1', () =>
      Promise.all([
        recorder.record(request, viewer, read(MESSAGE_A, 'AUTHOR_NAME')),
        recorder.record(request, viewer, read(MESSAGE_A, 'AUTHOR_URL')),
        recorder.record(request, viewer, read(MESSAGE_B, 'AUTHOR_NAME')),
        recorder.record(request, viewer, read(MESSAGE_A, 'AUTHOR_NAME')),
      ]),
    );
    expect(repository.insertMany).toHaveBeenCalledTimes(1);
    expect(repository.insertMany).toHaveBeenCalledWith({
      requestId: expect.any(String),
      correlationId: 'corr-1',
      viewerUserId: 'u-1',
      viewerLogin: 'official',
      at: expect.any(Date),
      reads: [
        { id: expect.any(String), organizationId: ORG, messageId: MESSAGE_A, fields: ['AUTHOR_NAME', 'AUTHOR_URL'] },
        { id: expect.any(String), organizationId: ORG, messageId: MESSAGE_B, fields: ['AUTHOR_NAME'] },
      ],
    });
    // Written in the request's own scope: row-level security checks the organisation.
    expect(scopes).toEqual([expect.objectContaining({ correlationId: 'corr-1', orgScope: orgsScope([ORG]) })]);
  });

  it('a field read again later in the same request is not written again; a new field is', async () => {
    const { recorder, repository } = setup();
    const request = {};
    await inRequest('corr-1', async () => {
      await recorder.record(request, viewer, read(MESSAGE_A, 'AUTHOR_NAME'));
      await recorder.record(request, viewer, read(MESSAGE_A, 'AUTHOR_NAME'));
      await recorder.record(request, viewer, read(MESSAGE_A, 'AUTHOR_ID'));
    });
    expect(repository.insertMany).toHaveBeenCalledTimes(2);
    const [first, second] = repository.insertMany.mock.calls.map(([batch]) => batch);
    expect(second.requestId).toBe(first.requestId);
    expect(second.reads).toEqual([expect.objectContaining({ messageId: MESSAGE_A, fields: ['AUTHOR_ID'] })]);
  });

  it('two requests are two request ids, even with the same correlation id (a live feed’s events share one)', async () => {
    const { recorder, repository } = setup();
    await inRequest('corr-1', () => recorder.record({}, viewer, read(MESSAGE_A, 'AUTHOR_NAME')));
    await inRequest('corr-1', () => recorder.record({}, viewer, read(MESSAGE_A, 'AUTHOR_NAME')));
    const [first, second] = repository.insertMany.mock.calls.map(([batch]) => batch);
    expect(second.requestId).not.toBe(first.requestId);
  });

  it('a read that cannot be logged fails: the data is not returned unlogged', async () => {
    const { recorder } = setup(() => Promise.reject(new Error('database is down')));
    await expect(
      inRequest('corr-1', () => recorder.record({}, viewer, read(MESSAGE_A, 'AUTHOR_NAME'))),
    ).rejects.toThrow('database is down');
  });
});
