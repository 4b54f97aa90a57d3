import { randomUUID } from 'node:crypto';
import { DEMO_USERS, demoOrganization } from '@otklik/demo';
import { DemoSeed } from '../src/demo/demo.seed';
import { demoUser, NotifyUnderTest } from './notify.harness';

// Medium test: with OTKLIK_DEMO_SEED the demo district's staff are recipients from the first start.

describe('notify demo seed: the demo district’s officials are notified from the first start', () => {
  let notify: NotifyUnderTest;

  beforeAll(async () => {
    notify = await NotifyUnderTest.start('notify_seed', { demoSeed: true });
  });

  afterAll(() => notify?.stop());

  const recipients = () =>
    notify.sql<{ login: string; organization_id: string; role: string; display_name: string }>(
      'select login, organization_id, role, display_name from notify.recipients order by login, role',
    );

  it('every role of every demo user is a recipient of its organisation', async () => {
    const expected = DEMO_USERS.flatMap((u) =>
      u.roles.map((r) => ({
        login: u.login,
        organization_id: demoOrganization(r.organizationCode).id,
        role: r.role,
        display_name: u.displayName,
      })),
    ).sort((a, b) => a.login.localeCompare(b.login) || a.role.localeCompare(b.role));
    expect(await recipients()).toEqual(expected);
  });

  it('seeding again, from two replicas at once, inserts nothing', async () => {
    const seed = notify.app.get(DemoSeed);
    const before = await recipients();
    expect(await Promise.all([seed.seed(), seed.seed()])).toEqual([0, 0]);
    expect(await recipients()).toEqual(before);
  });

  it('a StaffAppointed event refreshes a seeded recipient', async () => {
    const official = demoUser('official');
    const kalmansky = demoOrganization('kalmansky').id;
    const { seq } = await notify.appoint(official, kalmansky, 'OFFICIAL', {
      displayName: 'Андрей Петрович Бочаров-Новый',
    });
    await notify.handledUpTo('staff-projection', seq);
    const row = (await recipients()).find((r) => r.login === 'official');
    expect(row?.display_name).toBe('Андрей Петрович Бочаров-Новый');
  });

  it('a case opened in buranovsky notifies buranovsky.official, the seeded official there', async () => {
    const buranovsky = demoOrganization('buranovsky').id;
    const caseId = randomUUID();
    const { seq } = await notify.openCase(buranovsky, {
      caseId,
      openedAt: '2026-11-27T08:15:00.000Z',
      routeDueAt: '2026-11-28T08:15:00.000Z',
    });
    await notify.handledUpTo('case-opened', seq);
    const rows = await notify.sql<{ user_id: string; text: string }>(
      'select user_id, text from notify.notifications where case_id = $1',
      [caseId],
    );
    expect(rows).toEqual([
      {
        user_id: demoUser('buranovsky.official').id,
        text: 'Новое обращение: обнаружено критическое сообщение, направьте его до 28.11 15:15',
      },
    ]);
  });
});
