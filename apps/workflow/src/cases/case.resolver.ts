import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { AnyViewer, CurrentViewer, Roles, Viewer } from '@otklik/auth';
import type { DeadlineState } from '../deadlines/deadline.policy';
import { DraftModel } from '../drafts/draft.model';
import { PublicationModel } from '../publications/publication.model';
import { StaffLoader } from '../staff/staff.loader';
import type { OpenDeadlineState } from './case.repository';
import { DeadlineLoader } from '../deadlines/deadline.loader';
import { DeadlineModel } from '../deadlines/deadline.model';
import { OrganizationLoader } from '../organizations/organization.loader';
import { OrganizationModel } from '../organizations/organization.model';
import { ViewerModel } from '../staff/viewer.model';
import { CaseLoader } from './case.loader';
import { toCaseConnection } from './case.mapper';
import {
  CaseCommentModel,
  CaseConnectionModel,
  CaseFilterInput,
  CaseModel,
  CaseReplyModel,
  CaseTransitionModel,
  ScreeningReviewFilterInput,
  ScreeningReviewModel,
} from './case.model';
import { CaseException } from './case.exception';
import { CaseService } from './case.service';
import { MessageReference } from './message.model';

/** Settled states name no open deadline: filtering by them alone finds nothing, so they are refused. */
function openStates(states: readonly DeadlineState[]): OpenDeadlineState[] {
  const settled = states.filter((s) => s === 'MET' || s === 'MISSED' || s === 'CANCELLED');
  if (settled.length > 0) {
    throw CaseException.badInput(
      `filter.deadlineState filters by open deadlines: ON_TRACK, AT_RISK or OVERDUE; not ${settled.join(', ')}`,
    );
  }
  return states as OpenDeadlineState[];
}

/** Cases for every viewer (row-level security limits the rows to their organisations); the screening review for those who decide. */
@Resolver(() => CaseModel)
export class CaseResolver {
  constructor(
    private readonly cases: CaseService,
    private readonly caseLoader: CaseLoader,
    private readonly organizations: OrganizationLoader,
    private readonly deadlines: DeadlineLoader,
    private readonly staff: StaffLoader,
  ) {}

  @Query(() => CaseConnectionModel, { name: 'cases', description: 'Cases the viewer may see, newest first' })
  @AnyViewer()
  async list(
    @CurrentViewer() viewer: Viewer,
    @Args('filter', { type: () => CaseFilterInput, nullable: true }) filter?: CaseFilterInput,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size: 20 unless given, at most 100' })
    first?: number,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page' })
    after?: string,
  ): Promise<CaseConnectionModel> {
    const page = await this.cases.list(
      viewer,
      {
        statuses: filter?.status ?? undefined,
        organizationId: filter?.organizationId ?? undefined,
        deadlineStates: filter?.deadlineState ? openStates(filter.deadlineState) : undefined,
        executorLogin: filter?.executorLogin ?? undefined,
        mine: filter?.mine ?? undefined,
        platforms: filter?.platform ?? undefined,
        text: filter?.text ?? undefined,
        detectedFrom: filter?.detectedFrom ?? undefined,
        detectedTo: filter?.detectedTo ?? undefined,
        order: filter?.sort ?? undefined,
      },
      first ?? undefined,
      after ?? undefined,
    );
    return toCaseConnection(page);
  }

  @Query(() => ScreeningReviewModel, {
    description: 'How screening’s proposals (cl. 11) fared with the officials, over the cases you may see',
  })
  @Roles('COORDINATOR', 'HEAD', 'OFFICIAL')
  screeningReview(
    @CurrentViewer() viewer: Viewer,
    @Args('filter', { type: () => ScreeningReviewFilterInput, nullable: true }) filter?: ScreeningReviewFilterInput,
  ): Promise<ScreeningReviewModel> {
    return this.cases.screeningReview(viewer, {
      organizationId: filter?.organizationId ?? undefined,
      detectedFrom: filter?.detectedFrom ?? undefined,
      detectedTo: filter?.detectedTo ?? undefined,
    });
  }

  @Query(() => CaseModel, {
    name: 'case',
    nullable: true,
    description: 'null when there is no such case or it is not yours to see',
  })
  @AnyViewer()
  findOne(@Args('id', { type: () => ID }) id: string, @Context() context: object): Promise<CaseModel | null> {
    // Through the request's loader: the gateway asks for a burst of subscription events as
    // one query with many `case(id:)` fields, which then cost one database query together.
    this.cases.assertCaseId(id);
    return this.caseLoader.byId(context, id);
  }

  @ResolveField('organization', () => OrganizationModel)
  async organization(@Parent() kase: CaseModel, @Context() context: object): Promise<OrganizationModel> {
    const organization = await this.organizations.load(context, kase.organizationId);
    // The case is visible, so its organisation is in the same scope; anything else is a bug.
    if (!organization) throw new Error(`organisation ${kase.organizationId} of visible case ${kase.id} is not visible`);
    return organization;
  }

  @ResolveField('message', () => MessageReference, { description: 'The citizen’s message (from intake)' })
  message(@Parent() kase: CaseModel): { __typename: 'Message'; id: string } {
    return { __typename: 'Message', id: kase.messageId };
  }

  @ResolveField('deadlines', () => [DeadlineModel])
  deadlinesOf(@Parent() kase: CaseModel, @Context() context: object): Promise<DeadlineModel[]> {
    return this.deadlines.ofCase(context, kase.id);
  }

  @ResolveField('history', () => [CaseTransitionModel], { description: 'Every transition, oldest first' })
  history(@Parent() kase: CaseModel, @Context() context: object): Promise<CaseTransitionModel[]> {
    return this.caseLoader.historyOf(context, kase.id);
  }

  @ResolveField('executor', () => ViewerModel, {
    nullable: true,
    description: 'Who drafts the answer (cl. 7, 18); for a repeat, pre-set to the earlier case’s executor',
  })
  executor(@Parent() kase: CaseModel, @Context() context: object): Promise<ViewerModel | null> | null {
    return kase.executorUserId ? this.staff.load(context, kase.executorUserId) : null;
  }

  @ResolveField('repeatOf', () => CaseModel, {
    nullable: true,
    description: 'The earlier case this one repeats (cl. 9); null when there is none or it is not yours to see',
  })
  repeatOf(@Parent() kase: CaseModel, @Context() context: object): Promise<CaseModel | null> | null {
    return kase.repeatOfId ? this.caseLoader.byId(context, kase.repeatOfId) : null;
  }

  @ResolveField('publications', () => [PublicationModel], { description: 'Each published (or attempted) answer' })
  publications(@Parent() kase: CaseModel, @Context() context: object): Promise<PublicationModel[]> {
    return this.caseLoader.publicationsOf(context, kase.id);
  }

  @ResolveField('drafts', () => [DraftModel], { description: 'Every version of the answer, oldest first' })
  drafts(@Parent() kase: CaseModel, @Context() context: object): Promise<DraftModel[]> {
    return this.caseLoader.draftsOf(context, kase);
  }

  @ResolveField('currentDraft', () => DraftModel, {
    nullable: true,
    description: 'The newest version of the answer, whatever its status',
  })
  async currentDraft(@Parent() kase: CaseModel, @Context() context: object): Promise<DraftModel | null> {
    const drafts = await this.caseLoader.draftsOf(context, kase);
    return drafts.at(-1) ?? null;
  }

  @ResolveField('comments', () => [CaseCommentModel], { description: 'Notes inside the team, oldest first' })
  comments(@Parent() kase: CaseModel, @Context() context: object): Promise<CaseCommentModel[]> {
    return this.caseLoader.commentsOf(context, kase.id);
  }

  @ResolveField('relatedCases', () => [CaseModel], {
    description: 'Cases linked to this one (a repeat and its earlier case, or by staff), as far as you may see them',
  })
  async relatedCases(@Parent() kase: CaseModel, @Context() context: object): Promise<CaseModel[]> {
    const ids = await this.caseLoader.relatedIdsOf(context, kase.id);
    const related = await Promise.all(ids.map((id) => this.caseLoader.byId(context, id)));
    return related.filter((c): c is CaseModel => c !== null);
  }

  @ResolveField('replies', () => [CaseReplyModel], {
    description: 'The author’s later messages that joined the case (replies to a clarification request, cl. 7)',
  })
  replies(@Parent() kase: CaseModel, @Context() context: object): Promise<CaseReplyModel[]> {
    return this.caseLoader.repliesOf(context, kase.id);
  }

  /** The gateway fetching cases other subgraphs point at (notify's notifications); batched per request. */
  @ResolveReference()
  resolveReference(reference: { id: unknown }, context: object): Promise<CaseModel | null> | null {
    return typeof reference.id === 'string' ? this.caseLoader.byId(context, reference.id) : null;
  }
}
