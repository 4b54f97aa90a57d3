import { rescheduleBatches } from './deadline.repository';

const change = (i: number) => ({
  id: `id-${i}`,
  dueAt: new Date(Date.UTC(2026, 10, 30, 8) + i * 60_000),
  atRiskAt: new Date(Date.UTC(2026, 10, 30, 6) + i * 60_000),
});

describe('rescheduling in batches: one UPDATE per batch, not per deadline', () => {
  it('splits the changes into batches of the given size, in order, as parallel arrays', () => {
    const changes = Array.from({ length: 7 }, (_, i) => change(i));
    const batches = rescheduleBatches(changes, 3);
    expect(batches.map(([ids]) => ids)).toEqual([['id-0', 'id-1', 'id-2'], ['id-3', 'id-4', 'id-5'], ['id-6']]);
    const [ids, dues, atRisks] = batches[2];
    expect([ids[0], dues[0], atRisks[0]]).toEqual(['id-6', '2026-11-30T08:06:00.000Z', '2026-11-30T06:06:00.000Z']);
  });

  it('nothing to change is no statement at all', () => {
    expect(rescheduleBatches([])).toEqual([]);
  });

  it('5,000 per statement by default', () => {
    expect(rescheduleBatches(Array.from({ length: 12_001 }, (_, i) => change(i))).map(([ids]) => ids.length)).toEqual([
      5_000, 5_000, 2_001,
    ]);
  });
});
