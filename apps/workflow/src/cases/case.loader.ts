import { Injectable } from '@nestjs/common';
import { byKeys, groupedByKeys, requestLoader } from '@otklik/service-kit';
import { toCaseModel, toCaseTransitionModel } from './case.mapper';
import { CaseModel, CaseTransitionModel } from './case.model';
import { CaseService } from './case.service';

const BY_ID = Symbol('case by id');
const HISTORY = Symbol('case history');

/** Cases and their histories, one query per request's batch. */
@Injectable()
export class CaseLoader {
  constructor(private readonly cases: CaseService) {}

  /** null when the viewer may not see the case (or there is none). */
  byId(context: object, id: string): Promise<CaseModel | null> {
    return requestLoader<string, CaseModel | null>(context, BY_ID, async (ids) => {
      const rows = await this.cases.byIds(ids);
      return byKeys(ids, rows.map(toCaseModel), (c) => c.id, null);
    }).load(id);
  }

  historyOf(context: object, caseId: string): Promise<CaseTransitionModel[]> {
    return requestLoader<string, CaseTransitionModel[]>(context, HISTORY, async (caseIds) => {
      const rows = await this.cases.historyOf(caseIds);
      return groupedByKeys(caseIds, rows, (t) => t.caseId).map((group) => group.map(toCaseTransitionModel));
    }).load(caseId);
  }
}
