import type { WorkingCalendarYearView } from './working-calendar.service';
import { WorkingCalendarYearModel } from './working-calendar.model';

export function toWorkingCalendarYearModel(view: WorkingCalendarYearView): WorkingCalendarYearModel {
  return Object.assign(new WorkingCalendarYearModel(), {
    year: view.year,
    source: view.source,
    loadedBy: view.loadedBy,
    loadedAt: view.loadedAt,
    timeZone: view.timeZone,
    days: view.days.map((d) => ({ date: d.date, kind: d.kind, workingHours: d.workingHours })),
    workingDays: view.days.filter((d) => d.kind === 'WORKING' || d.kind === 'SHORTENED').length,
    recomputedDeadlines: view.recomputedDeadlines,
  });
}
