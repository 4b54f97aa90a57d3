import { Injectable } from '@nestjs/common';
import { groupedByKeys, requestLoader } from '@otklik/service-kit';
import { toDeadlineModel } from './deadline.mapper';
import { DeadlineModel } from './deadline.model';
import { DeadlineService } from './deadline.service';

const BY_CASE = Symbol('deadlines by case');

/** A case's deadlines; the cases of one request are loaded in one query. */
@Injectable()
export class DeadlineLoader {
  constructor(private readonly deadlines: DeadlineService) {}

  ofCase(context: object, caseId: string): Promise<DeadlineModel[]> {
    return requestLoader<string, DeadlineModel[]>(context, BY_CASE, async (caseIds) => {
      const views = await this.deadlines.forCases(caseIds);
      return groupedByKeys(caseIds, views, (v) => v.caseId).map((group) => group.map(toDeadlineModel));
    }).load(caseId);
  }
}
