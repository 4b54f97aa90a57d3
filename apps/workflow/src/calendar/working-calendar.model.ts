import { Field, Float, GraphQLISODateTime, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { DayKind } from '@otklik/calendar';

const DAY_KINDS = ['WORKING', 'SHORTENED', 'WEEKEND', 'HOLIDAY', 'DAY_OFF'] as const satisfies readonly DayKind[];
export const WorkingDayKindEnum = Object.fromEntries(DAY_KINDS.map((k) => [k, k])) as { [K in DayKind]: K };
registerEnumType(WorkingDayKindEnum, {
  name: 'WorkingDayKind',
  description:
    'WORKING; SHORTENED (pre-holiday, an hour shorter, art. 95); WEEKEND; HOLIDAY (art. 112); DAY_OFF (moved by decree)',
});

@ObjectType('WorkingDay')
export class WorkingDayModel {
  @Field(() => String, { description: 'YYYY-MM-DD' }) date: string;
  @Field(() => WorkingDayKindEnum) kind: DayKind;
  @Field(() => Float, { description: 'Working hours of the day on the default schedule; 0 when not working' })
  workingHours: number;
}

@ObjectType('WorkingCalendarYear', { description: 'One year of the production calendar in use' })
export class WorkingCalendarYearModel {
  @Field(() => Int) year: number;
  @Field(() => String, { description: 'The Government decree the year follows' }) source: string;
  @Field(() => String, { nullable: true, description: 'Who loaded the year; null for a year bundled with the release' })
  loadedBy: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was loaded; null when bundled' })
  loadedAt: Date | null;
  @Field(() => String, {
    nullable: true,
    description: 'The organisation’s time zone; null on loadWorkingCalendarYear, which concerns no one organisation',
  })
  timeZone: string | null;
  @Field(() => [WorkingDayModel], { description: 'Every date of the year, in order' }) days: WorkingDayModel[];
  @Field(() => Int) workingDays: number;
  @Field(() => Int, {
    nullable: true,
    description:
      'Open deadlines whose due or at-risk moment the new calendar moved: only on loadWorkingCalendarYear; null otherwise',
  })
  recomputedDeadlines: number | null;
}

@InputType('LoadWorkingCalendarYearInput')
export class LoadWorkingCalendarYearInput {
  @Field(() => Int) year: number;
  @Field(() => String, { description: 'The year’s JSON, as in libs/calendar/src/data/production-calendar-<year>.json' })
  data: string;
  @Field(() => String, { description: 'Why it is loaded (e.g. the decree adopted); kept in the audit' })
  reason: string;
}
