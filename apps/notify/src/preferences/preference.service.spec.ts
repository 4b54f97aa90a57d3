import type { Viewer } from '@otklik/auth';
import type { UnitOfWork } from '@otklik/persistence';
import type { PreferenceEntity } from './preference.entity';
import type { PreferenceRepository } from './preference.repository';
import { PreferenceService } from './preference.service';

const viewer: Viewer = {
  userId: '0b6f4a5e-0000-4000-8001-000000000001',
  login: 'official',
  displayName: 'O',
  roles: [],
  visibleOrganizationIds: [],
};

function setUp() {
  const saved: PreferenceEntity[] = [];
  const uow = { run: <T>(work: () => Promise<T>) => work() } as unknown as UnitOfWork;
  const repository = {
    save: (row: PreferenceEntity) => {
      saved.push(row);
      return Promise.resolve();
    },
    choicesOf: () => Promise.resolve(saved),
  } as unknown as PreferenceRepository;
  return { service: new PreferenceService(uow, repository), saved };
}

describe('PreferenceService.set: a user switches one kind on one channel', () => {
  it('stores the choice for the viewer and returns the cell as it now stands', async () => {
    const { service, saved } = setUp();
    const at = new Date('2026-11-30T03:00:00Z');
    expect(await service.set(viewer, 'CASE_OPENED', 'TELEGRAM', true, at)).toEqual({
      kind: 'CASE_OPENED',
      channel: 'TELEGRAM',
      enabled: true,
      chosen: true,
      changeable: true,
    });
    expect(saved).toEqual([
      expect.objectContaining({
        userId: viewer.userId,
        kind: 'CASE_OPENED',
        channel: 'TELEGRAM',
        enabled: true,
        updatedAt: at,
      }),
    ]);
    const listed = await service.listFor(viewer);
    expect(listed.find((p) => p.kind === 'CASE_OPENED' && p.channel === 'TELEGRAM')).toMatchObject({ enabled: true });
  });

  it.each([
    ['an unknown kind', 'NOPE', 'EMAIL', /kind: "NOPE" is not a kind of notification; one of CASE_OPENED/],
    ['the feed', 'CASE_OPENED', 'IN_APP', /in-app notifications .* stay on/],
  ])('%s is refused as BAD_USER_INPUT, saying what can be set', (_what, kind, channel, message) => {
    const { service, saved } = setUp();
    expect(() => service.set(viewer, kind, channel as 'EMAIL', false)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringMatching(message) }),
    );
    expect(saved).toEqual([]);
  });
});
