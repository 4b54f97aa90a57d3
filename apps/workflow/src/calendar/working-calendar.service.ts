import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { hasRole, Viewer } from '@otklik/auth';
import {
  CalendarError,
  DayKind,
  IsoDate,
  loadYear,
  periodMinutesOf,
  ProductionCalendarYear,
  WorkingSchedule,
  workingSchedule,
} from '@otklik/calendar';
import { ALL_ORGS, callContext } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { DeadlineService } from '../deadlines/deadline.service';
import { isUuid } from '../graphql/uuid';
import { OrganizationService } from '../organizations/organization.service';
import { OrganizationTree } from '../organizations/organization.tree';
import { CalendarException } from './calendar.exception';
import { CalendarRepository } from './calendar.repository';
import { CalendarService, CalendarSnapshot } from './calendar.service';

export interface WorkingDayView {
  date: IsoDate;
  kind: DayKind;
  workingHours: number;
}

/** One year of the calendar in use, day by day. */
export interface WorkingCalendarYearView {
  year: number;
  source: string;
  loadedBy: string | null;
  loadedAt: Date | null;
  timeZone: string | null;
  days: WorkingDayView[];
  recomputedDeadlines: number | null;
}

export interface LoadYearRequest {
  year: number;
  /** The year's JSON text. */
  data: string;
  reason: string;
}

function datesOf(year: number): IsoDate[] {
  const dates: IsoDate[] = [];
  for (let time = Date.UTC(year, 0, 1); time < Date.UTC(year + 1, 0, 1); time += 86_400_000) {
    dates.push(new Date(time).toISOString().slice(0, 10));
  }
  return dates;
}

function hoursOf(schedule: WorkingSchedule, kind: DayKind): number {
  if (kind !== 'WORKING' && kind !== 'SHORTENED') return 0;
  const minutes = periodMinutesOf(schedule, kind === 'SHORTENED').reduce((sum, p) => sum + p.end - p.start, 0);
  return minutes / 60;
}

/**
 * The year as the calendar in use has it. `schedule` gives the hours: the organisation's, or
 * the default one when no organisation is concerned (the same today).
 */
export function yearView(
  snapshot: CalendarSnapshot,
  year: number,
  timeZone: string | null,
  recomputedDeadlines: number | null = null,
): WorkingCalendarYearView {
  const inEffect = snapshot.years.get(year);
  if (!inEffect) {
    const known = [...snapshot.years.keys()].sort((a, b) => a - b).join(', ');
    throw CalendarException.badInput(
      `no production calendar is loaded for ${year} (loaded: ${known}); a coordinator can load it with loadWorkingCalendarYear`,
    );
  }
  const schedule = timeZone ? snapshot.workingTimeIn(timeZone).schedule : workingSchedule('UTC');
  return {
    year,
    source: inEffect.data.source,
    loadedBy: inEffect.loadedBy,
    loadedAt: inEffect.loadedAt,
    timeZone,
    days: datesOf(year).map((date) => {
      const kind = snapshot.calendar.kindOf(date);
      return { date, kind, workingHours: hoursOf(schedule, kind) };
    }),
    recomputedDeadlines,
  };
}

/** Every problem of a year's JSON as given to loadWorkingCalendarYear; the validated year when there is none. */
export function validateYearInput(request: LoadYearRequest): ProductionCalendarYear {
  let json: unknown;
  try {
    json = JSON.parse(request.data);
  } catch (error) {
    throw CalendarException.badInput(`data is not JSON: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  if (request.reason.trim() === '') problems.push('reason: say why the year is loaded');
  const dataYear = typeof json === 'object' && json !== null ? (json as { year?: unknown }).year : undefined;
  if (dataYear !== request.year)
    problems.push(`year: the input says ${request.year} but data.year is ${String(dataYear)}`);
  let loaded: ProductionCalendarYear | undefined;
  try {
    loaded = loadYear(json);
  } catch (error) {
    if (!(error instanceof CalendarError)) throw error;
    problems.push(...error.problems);
  }
  if (loaded && loaded.decreeStatus !== 'adopted') {
    problems.push(`decreeStatus: only an adopted decree can be used (${loaded.decreeStatus})`);
  }
  if (problems.length > 0 || !loaded) {
    throw CalendarException.badInput(`production calendar ${request.year} was not loaded: ${problems.join('; ')}`);
  }
  return loaded;
}

/** Reading the working calendar of an organisation, and loading a year (REQUIREMENTS "Deadlines"). */
@Injectable()
export class WorkingCalendarService {
  private readonly logger = new Logger(WorkingCalendarService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly years: CalendarRepository,
    private readonly calendar: CalendarService,
    private readonly deadlines: DeadlineService,
    private readonly organizations: OrganizationService,
    private readonly tree: OrganizationTree,
  ) {}

  /** The year of the calendar in use, on the organisation's clock; the organisation must be visible. */
  async yearOf(organizationId: string, year: number): Promise<WorkingCalendarYearView> {
    if (!isUuid(organizationId)) throw CalendarException.badInput(`"${organizationId}" is not an organisation id`);
    const organization = await this.organizations.byId(organizationId);
    if (!organization) throw CalendarException.organizationNotFound(organizationId);
    return yearView(await this.calendar.current(), year, organization.timeZone);
  }

  /**
   * Validates the year, stores it (replacing a stored or bundled year of that number), writes
   * the audit row and recomputes the open deadlines it touches — one transaction. This replica
   * uses the new year at once; the others within CALENDAR_CACHE_MS.
   */
  async loadYear(request: LoadYearRequest, viewer: Viewer): Promise<WorkingCalendarYearView> {
    // It moves the deadlines of every organisation: a coordinator whose scope is a part of the
    // tree (a sel'sovet's) may not change them for the district and the other sel'sovets.
    const roots = (await this.tree.current()).roots();
    if (roots.length === 0 || !roots.every((root) => hasRole(viewer, 'COORDINATOR', root))) {
      throw CalendarException.notCoordinatorOfAll();
    }
    const login = viewer.login;
    const data = validateYearInput(request);
    // The federal calendar and the deadlines it moves belong to every organisation, not only
    // to those in the coordinator's scope: system work, hence ALL_ORGS.
    const caller = callContext.require();
    const { snapshot, recomputed } = await callContext.run({ ...caller, orgScope: ALL_ORGS }, () =>
      this.uow.run(async () => {
        await this.years.lockYears();
        const previous = (await this.calendar.inTransaction()).years.get(data.year)?.data ?? null;
        const now = new Date();
        await this.years.upsertYear({ year: data.year, data, source: data.source, loadedBy: login, loadedAt: now });
        await this.years.appendChange({
          id: randomUUID(),
          year: data.year,
          previous,
          data,
          changedBy: login,
          changedAt: now,
          reason: request.reason.trim(),
        });
        const after = await this.calendar.inTransaction();
        const count = await this.deadlines.recomputeOpenInYear(data.year, (zone) => after.workingTimeIn(zone));
        return { snapshot: after, recomputed: count };
      }),
    );
    this.calendar.invalidate();
    this.logger.log(`production calendar ${data.year} loaded by ${login}; ${recomputed} open deadlines recomputed`);
    return yearView(snapshot, data.year, null, recomputed);
  }
}
