import { Injectable } from '@nestjs/common';
import type { Platform } from '@otklik/contracts';
import { byKeys, groupedByKeys, requestLoader } from '@otklik/service-kit';
import { toDraftModel } from '../drafts/draft.mapper';
import { DraftModel } from '../drafts/draft.model';
import { viewerInContext } from '../graphql/viewer.context';
import { toPublicationModel } from '../publications/publication.mapper';
import { PublicationModel } from '../publications/publication.model';
import { toCaseCommentModel, toCaseModel, toCaseReplyModel, toCaseTransitionModel } from './case.mapper';
import { CaseCommentModel, CaseModel, CaseReplyModel, CaseTransitionModel } from './case.model';
import { CaseService } from './case.service';

const BY_ID = Symbol('case by id');
const HISTORY = Symbol('case history');
const DRAFTS = Symbol('case drafts');
const PUBLICATIONS = Symbol('case publications');
const COMMENTS = Symbol('case comments');
const LINKS = Symbol('case links');
const REPLIES = Symbol('case replies');

/** Cases and what hangs off them, one query per kind for a request's batch. */
@Injectable()
export class CaseLoader {
  constructor(private readonly cases: CaseService) {}

  /** null when the viewer may not see the case (or there is none). */
  byId(context: object, id: string): Promise<CaseModel | null> {
    return requestLoader<string, CaseModel | null>(context, BY_ID, async (ids) => {
      const rows = await this.cases.byIds(ids, viewerInContext(context));
      return byKeys(ids, rows.map(toCaseModel), (c) => c.id, null);
    }).load(id);
  }

  historyOf(context: object, caseId: string): Promise<CaseTransitionModel[]> {
    return requestLoader<string, CaseTransitionModel[]>(context, HISTORY, async (caseIds) => {
      const rows = await this.cases.historyOf(caseIds);
      return groupedByKeys(caseIds, rows, (t) => t.caseId).map((group) => group.map(toCaseTransitionModel));
    }).load(caseId);
  }

  /** Each draft previewed on the platform of its case's message. */
  draftsOf(context: object, kase: CaseModel): Promise<DraftModel[]> {
    return requestLoader<string, DraftModel[]>(context, DRAFTS, async (keys) => {
      const cases = keys.map((key) => {
        const [id, platform] = key.split('|') as [string, Platform];
        return { id, platform };
      });
      const rows = await this.cases.draftsOf(cases.map((c) => c.id));
      return groupedByKeys(
        cases.map((c) => c.id),
        rows,
        (d) => d.caseId,
      ).map((group, i) => group.map((draft) => toDraftModel(draft, cases[i].platform)));
    }).load(`${kase.id}|${kase.platform}`);
  }

  publicationsOf(context: object, caseId: string): Promise<PublicationModel[]> {
    return requestLoader<string, PublicationModel[]>(context, PUBLICATIONS, async (caseIds) => {
      const rows = await this.cases.publicationsOf(caseIds);
      return groupedByKeys(caseIds, rows, (p) => p.caseId).map((group) => group.map(toPublicationModel));
    }).load(caseId);
  }

  commentsOf(context: object, caseId: string): Promise<CaseCommentModel[]> {
    return requestLoader<string, CaseCommentModel[]>(context, COMMENTS, async (caseIds) => {
      const rows = await this.cases.commentsOf(caseIds);
      return groupedByKeys(caseIds, rows, (c) => c.caseId).map((group) => group.map(toCaseCommentModel));
    }).load(caseId);
  }

  /** The ids of the cases linked to this one. */
  relatedIdsOf(context: object, caseId: string): Promise<string[]> {
    return requestLoader<string, string[]>(context, LINKS, async (caseIds) => {
      const rows = await this.cases.linksOf(caseIds);
      return groupedByKeys(caseIds, rows, (l) => l.caseId).map((group) => group.map((l) => l.relatedCaseId));
    }).load(caseId);
  }

  repliesOf(context: object, caseId: string): Promise<CaseReplyModel[]> {
    return requestLoader<string, CaseReplyModel[]>(context, REPLIES, async (caseIds) => {
      const rows = await this.cases.repliesOf(caseIds);
      return groupedByKeys(caseIds, rows, (m) => m.caseId).map((group) => group.map(toCaseReplyModel));
    }).load(caseId);
  }
}
