import { bundledYears } from '@otklik/calendar';
import type { UnitOfWork } from '@otklik/persistence';
import type { CalendarYearEntity } from './calendar-year.entity';
import type { CalendarRepository } from './calendar.repository';
import { CALENDAR_CACHE_MS, CalendarService, snapshotOf } from './calendar.service';

const bundled2027 = bundledYears.find((y) => y.year === 2027) as object;
const corrected2027 = {
  ...bundled2027,
  workingWeekends: ['2027-02-20', '2027-11-13'],
  totals: { workingDays: 248, nonWorkingDays: 117 },
};
const stored = (data: object): CalendarYearEntity => ({
  year: 2027,
  data,
  source: 'test',
  loadedBy: 'coordinator',
  loadedAt: new Date('2026-11-28T00:00:00Z'),
});

describe('the calendar in use: bundled years overridden by stored ones', () => {
  it('a stored year replaces the bundled year of the same number', () => {
    const snapshot = snapshotOf([stored(corrected2027)]);
    expect(snapshot.calendar.kindOf('2027-11-13')).toBe('WORKING');
    expect(snapshot.years.get(2027)?.loadedBy).toBe('coordinator');
    expect(snapshot.years.get(2026)?.loadedBy).toBeNull();
  });

  it('a stored year that no longer validates is ignored with a warning, the bundled one stays', () => {
    const warnings: string[] = [];
    const snapshot = snapshotOf([stored({ year: 2027 })], (m) => warnings.push(m));
    expect(snapshot.calendar.kindOf('2027-11-13')).toBe('WEEKEND');
    expect(warnings).toEqual([expect.stringContaining('stored production calendar 2027 is ignored')]);
  });
});

describe('CalendarService caches the calendar for 30 s per replica', () => {
  let rows: CalendarYearEntity[];
  let reads: number;
  let clock: number;
  let service: CalendarService;

  beforeEach(() => {
    rows = [];
    reads = 0;
    clock = 0;
    const uow = { run: <T>(work: () => Promise<T>) => work() } as unknown as UnitOfWork;
    const repository = {
      storedYears: () => {
        reads++;
        return Promise.resolve([...rows]);
      },
    } as unknown as CalendarRepository;
    service = new CalendarService(uow, repository);
    service.now = () => clock;
  });

  it('reads the stored years once within the cache time, and again after it', async () => {
    await service.current();
    rows = [stored(corrected2027)];
    clock = CALENDAR_CACHE_MS - 1;
    expect((await service.current()).calendar.kindOf('2027-11-13')).toBe('WEEKEND');
    expect(reads).toBe(1);
    clock = CALENDAR_CACHE_MS;
    expect((await service.current()).calendar.kindOf('2027-11-13')).toBe('WORKING');
    expect(reads).toBe(2);
  });

  it('invalidate() makes the next reader see a change at once', async () => {
    await service.current();
    rows = [stored(corrected2027)];
    service.invalidate();
    expect((await service.current()).calendar.kindOf('2027-11-13')).toBe('WORKING');
  });

  it('working time per zone is built once per calendar', async () => {
    expect(await service.workingTimeIn('Asia/Barnaul')).toBe(await service.workingTimeIn('Asia/Barnaul'));
  });
});
