/**
 * The Russian production calendar, one year at a time, as data: the non-working holidays of
 * Labour Code art. 112, the days off and working weekends moved by the Government's yearly
 * decree, and the pre-holiday days one hour shorter (art. 95). A year is loaded from JSON so
 * that an administrator can add next year's decree without a release; loading validates it.
 */

/** 'YYYY-MM-DD', a calendar date with no time or zone. */
export type IsoDate = string;

export type DayKind = 'WORKING' | 'SHORTENED' | 'WEEKEND' | 'HOLIDAY' | 'DAY_OFF';

/** Why a weekday is off: the year's decree, or art. 112 part 2 (a holiday on a weekend moves the weekend on). */
export type DayOffBasis = 'decree' | 'labourCode112';

export interface DayOff {
  readonly date: IsoDate;
  /** The weekend day that was moved onto `date`. */
  readonly from?: IsoDate;
  readonly basis?: DayOffBasis;
}

export interface ProductionCalendarYear {
  readonly year: number;
  /** The Government decree on moving days off, with number and date. */
  readonly source: string;
  readonly decreeStatus: 'adopted' | 'draft';
  readonly holidays: readonly IsoDate[];
  readonly daysOff: readonly DayOff[];
  readonly workingWeekends: readonly IsoDate[];
  readonly shortened: readonly IsoDate[];
  readonly totals?: { readonly workingDays: number; readonly nonWorkingDays: number };
  readonly checkedAgainst: readonly string[];
  readonly unconfirmed: readonly string[];
}

export type CalendarErrorCode =
  | 'INVALID_CALENDAR_DATA'
  | 'UNKNOWN_YEAR'
  | 'DRAFT_YEAR'
  | 'INVALID_DATE'
  | 'INVALID_ARGUMENT'
  | 'INVALID_SCHEDULE'
  | 'INVALID_POLICY'
  | 'NOT_A_WORKING_DAY';

export class CalendarError extends Error {
  constructor(
    readonly code: CalendarErrorCode,
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
    this.name = 'CalendarError';
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The date's year and day of week (0 Sunday … 6 Saturday), or undefined when it is not a real ISO date. */
function parseIsoDate(value: unknown): { year: number; weekday: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return { year, weekday: date.getUTCDay() };
}

const isWeekend = (weekday: number): boolean => weekday === 0 || weekday === 6;

function daysInYear(year: number): number {
  return (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000;
}

function isoDatesOf(year: number): IsoDate[] {
  const dates: IsoDate[] = [];
  for (let time = Date.UTC(year, 0, 1); time < Date.UTC(year + 1, 0, 1); time += 86_400_000) {
    dates.push(new Date(time).toISOString().slice(0, 10));
  }
  return dates;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * Validates one year's JSON and returns it typed and frozen; throws a CalendarError listing
 * every problem found, not only the first.
 */
export function loadYear(json: unknown): ProductionCalendarYear {
  const problems: string[] = [];
  if (!isRecord(json)) {
    throw new CalendarError('INVALID_CALENDAR_DATA', 'production calendar: expected a JSON object', [
      'expected a JSON object',
    ]);
  }
  const year = json.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1900 || year > 2999) {
    throw new CalendarError('INVALID_CALENDAR_DATA', 'production calendar: year must be an integer year', [
      'year must be an integer year',
    ]);
  }
  const label = `production calendar ${year}`;

  if (typeof json.source !== 'string' || json.source.trim() === '') problems.push('source: the decree is missing');
  if (json.decreeStatus !== 'adopted' && json.decreeStatus !== 'draft') {
    problems.push(`decreeStatus: must be 'adopted' or 'draft'`);
  }
  for (const key of ['holidays', 'workingWeekends', 'shortened', 'checkedAgainst', 'unconfirmed'] as const) {
    if (!stringList(json[key])) problems.push(`${key}: must be a list of strings`);
  }
  if (!Array.isArray(json.daysOff) || !json.daysOff.every(isRecord)) {
    problems.push('daysOff: must be a list of { date, from?, basis? }');
  }
  if (problems.length > 0) {
    throw new CalendarError('INVALID_CALENDAR_DATA', `${label}: ${problems.join('; ')}`, problems);
  }

  const holidays = json.holidays as string[];
  const workingWeekends = json.workingWeekends as string[];
  const shortened = json.shortened as string[];
  const daysOff = (json.daysOff as Record<string, unknown>[]).map((entry, index): DayOff => {
    if (typeof entry.date !== 'string') problems.push(`daysOff[${index}]: date must be a string`);
    if (entry.from !== undefined && typeof entry.from !== 'string') {
      problems.push(`daysOff[${index}]: from must be a string`);
    }
    if (entry.basis !== undefined && entry.basis !== 'decree' && entry.basis !== 'labourCode112') {
      problems.push(`daysOff[${index}]: basis must be 'decree' or 'labourCode112'`);
    }
    return {
      date: typeof entry.date === 'string' ? entry.date : '',
      ...(typeof entry.from === 'string' ? { from: entry.from } : {}),
      ...(entry.basis === undefined ? {} : { basis: entry.basis as DayOffBasis }),
    };
  });

  /** Weekday of `date` if it is a real date of this year; records a problem otherwise. */
  const dayOfThisYear = (list: string, date: string): number | undefined => {
    const parsed = parseIsoDate(date);
    if (!parsed) {
      problems.push(`${list}: ${date} is not a real ISO date (YYYY-MM-DD)`);
      return undefined;
    }
    if (parsed.year !== year) {
      problems.push(`${list}: ${date} is not in ${year}`);
      return undefined;
    }
    return parsed.weekday;
  };
  const noDuplicates = (list: string, dates: readonly string[]): void => {
    const seen = new Set<string>();
    for (const date of dates) {
      if (seen.has(date)) problems.push(`${list}: ${date} is listed twice`);
      seen.add(date);
    }
  };

  const weekdayOf = new Map<string, number>();
  for (const date of holidays) {
    const weekday = dayOfThisYear('holidays', date);
    if (weekday !== undefined) weekdayOf.set(date, weekday);
  }
  for (const { date, from } of daysOff) {
    if (date === '') continue;
    const weekday = dayOfThisYear('daysOff', date);
    if (weekday !== undefined) {
      weekdayOf.set(date, weekday);
      if (isWeekend(weekday)) problems.push(`daysOff: ${date} is a Saturday or Sunday, already off`);
    }
    if (from !== undefined) {
      const parsed = parseIsoDate(from);
      if (!parsed) problems.push(`daysOff: from ${from} (for ${date}) is not a real ISO date (YYYY-MM-DD)`);
      else if (!isWeekend(parsed.weekday)) problems.push(`daysOff: from ${from} (for ${date}) is not a weekend day`);
    }
  }
  for (const date of workingWeekends) {
    const weekday = dayOfThisYear('workingWeekends', date);
    if (weekday === undefined) continue;
    weekdayOf.set(date, weekday);
    if (!isWeekend(weekday)) problems.push(`workingWeekends: ${date} is not a Saturday or Sunday`);
  }
  for (const date of shortened) {
    const weekday = dayOfThisYear('shortened', date);
    if (weekday !== undefined) weekdayOf.set(date, weekday);
  }

  noDuplicates('holidays', holidays);
  noDuplicates(
    'daysOff',
    daysOff.map((d) => d.date),
  );
  noDuplicates('workingWeekends', workingWeekends);
  noDuplicates('shortened', shortened);

  const holidaySet = new Set(holidays);
  const dayOffSet = new Set(daysOff.map((d) => d.date));
  const workingWeekendSet = new Set(workingWeekends);
  for (const date of dayOffSet) {
    if (holidaySet.has(date)) problems.push(`daysOff: ${date} is also a holiday`);
  }
  for (const date of workingWeekendSet) {
    if (holidaySet.has(date)) problems.push(`workingWeekends: ${date} is a holiday, it cannot be working`);
    if (dayOffSet.has(date)) problems.push(`workingWeekends: ${date} is also a day off`);
  }
  for (const date of shortened) {
    const weekday = weekdayOf.get(date);
    if (weekday === undefined) continue;
    const working =
      !holidaySet.has(date) && !dayOffSet.has(date) && (!isWeekend(weekday) || workingWeekendSet.has(date));
    if (!working) problems.push(`shortened: ${date} is not a working day`);
  }

  let totals: ProductionCalendarYear['totals'];
  if (json.totals !== undefined) {
    const t = json.totals;
    if (!isRecord(t) || !Number.isInteger(t.workingDays) || !Number.isInteger(t.nonWorkingDays)) {
      problems.push('totals: must be { workingDays, nonWorkingDays } as integers');
    } else {
      totals = { workingDays: t.workingDays as number, nonWorkingDays: t.nonWorkingDays as number };
      if (totals.workingDays + totals.nonWorkingDays !== daysInYear(year)) {
        problems.push(
          `totals: ${totals.workingDays} working + ${totals.nonWorkingDays} non-working is not the ${daysInYear(year)} days of ${year}`,
        );
      }
    }
  }

  if (problems.length > 0) {
    throw new CalendarError('INVALID_CALENDAR_DATA', `${label}: ${problems.join('; ')}`, problems);
  }

  const loaded: ProductionCalendarYear = deepFreeze({
    year,
    source: json.source as string,
    decreeStatus: json.decreeStatus as 'adopted' | 'draft',
    holidays: [...holidays],
    daysOff,
    workingWeekends: [...workingWeekends],
    shortened: [...shortened],
    ...(totals ? { totals } : {}),
    checkedAgainst: [...(json.checkedAgainst as string[])],
    unconfirmed: [...(json.unconfirmed as string[])],
  });

  if (totals) {
    const counted = isoDatesOf(year).filter((date) => kindIn(loaded, date) !== undefined).length;
    if (counted !== totals.workingDays) {
      throw new CalendarError(
        'INVALID_CALENDAR_DATA',
        `${label}: totals.workingDays is ${totals.workingDays} but the dates give ${counted}`,
      );
    }
  }
  return loaded;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** 'WORKING' or 'SHORTENED' for a working day of `data`'s year, undefined for one that is not working. */
function kindIn(data: ProductionCalendarYear, date: IsoDate): 'WORKING' | 'SHORTENED' | undefined {
  const kind = classify(data, date, (parseIsoDate(date) as { weekday: number }).weekday);
  return kind === 'WORKING' || kind === 'SHORTENED' ? kind : undefined;
}

function classify(data: ProductionCalendarYear, date: IsoDate, weekday: number): DayKind {
  if (data.holidays.includes(date)) return 'HOLIDAY';
  if (data.daysOff.some((d) => d.date === date)) return 'DAY_OFF';
  if (isWeekend(weekday) && !data.workingWeekends.includes(date)) return 'WEEKEND';
  return data.shortened.includes(date) ? 'SHORTENED' : 'WORKING';
}

export interface WorkingCalendar {
  readonly years: readonly number[];
  isWorkingDay(date: IsoDate): boolean;
  isShortened(date: IsoDate): boolean;
  kindOf(date: IsoDate): DayKind;
}

/**
 * A working calendar over the given years. Only adopted decrees count: a draft year, or a
 * date in a year not given, is an error naming the year rather than a guess.
 */
export function calendarFor(years: readonly ProductionCalendarYear[]): WorkingCalendar {
  const byYear = new Map<number, { data: ProductionCalendarYear; kinds: Map<IsoDate, DayKind> }>();
  for (const data of years) {
    if (byYear.has(data.year)) {
      throw new CalendarError('INVALID_CALENDAR_DATA', `production calendar ${data.year} is given twice`);
    }
    if (data.decreeStatus !== 'adopted') {
      throw new CalendarError(
        'DRAFT_YEAR',
        `production calendar ${data.year}: the decree is a draft (${data.source}); load the adopted decree`,
      );
    }
    const kinds = new Map<IsoDate, DayKind>();
    for (const date of isoDatesOf(data.year)) {
      kinds.set(date, classify(data, date, (parseIsoDate(date) as { weekday: number }).weekday));
    }
    byYear.set(data.year, { data, kinds });
  }

  const kindOf = (date: IsoDate): DayKind => {
    const parsed = parseIsoDate(date);
    if (!parsed) throw new CalendarError('INVALID_DATE', `not a real ISO date (YYYY-MM-DD): ${String(date)}`);
    const entry = byYear.get(parsed.year);
    if (!entry) {
      throw new CalendarError(
        'UNKNOWN_YEAR',
        `no production calendar is loaded for ${parsed.year} (asked for ${date}); load that year's decree`,
      );
    }
    return entry.kinds.get(date) as DayKind;
  };

  return {
    years: [...byYear.keys()].sort((a, b) => a - b),
    kindOf,
    isWorkingDay: (date) => {
      const kind = kindOf(date);
      return kind === 'WORKING' || kind === 'SHORTENED';
    },
    isShortened: (date) => kindOf(date) === 'SHORTENED',
  };
}
