import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AnyViewer, CurrentViewer, Roles, Viewer } from '@otklik/auth';
import { toWorkingCalendarYearModel } from './working-calendar.mapper';
import { LoadWorkingCalendarYearInput, WorkingCalendarYearModel } from './working-calendar.model';
import { WorkingCalendarService } from './working-calendar.service';

@Resolver(() => WorkingCalendarYearModel)
export class WorkingCalendarResolver {
  constructor(private readonly workingCalendar: WorkingCalendarService) {}

  @Query(() => WorkingCalendarYearModel, {
    name: 'workingCalendar',
    description: 'One year of the production calendar in use, day by day, on the organisation’s clock',
  })
  @AnyViewer()
  async year(
    @Args('organizationId', { type: () => ID }) organizationId: string,
    @Args('year', { type: () => Int }) year: number,
  ): Promise<WorkingCalendarYearModel> {
    return toWorkingCalendarYearModel(await this.workingCalendar.yearOf(organizationId, year));
  }

  @Mutation(() => WorkingCalendarYearModel, {
    name: 'loadWorkingCalendarYear',
    description:
      'Loads (or corrects) a year of the production calendar from its JSON, for every organisation; recomputes the open deadlines it touches',
  })
  @Roles('COORDINATOR')
  async load(
    @Args('input', { type: () => LoadWorkingCalendarYearInput }) input: LoadWorkingCalendarYearInput,
    @CurrentViewer() viewer: Viewer,
  ): Promise<WorkingCalendarYearModel> {
    return toWorkingCalendarYearModel(await this.workingCalendar.loadYear(input, viewer));
  }
}
