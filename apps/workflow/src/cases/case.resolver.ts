import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { AnyViewer } from '@otklik/auth';
import { DeadlineLoader } from '../deadlines/deadline.loader';
import { DeadlineModel } from '../deadlines/deadline.model';
import { OrganizationLoader } from '../organizations/organization.loader';
import { OrganizationModel } from '../organizations/organization.model';
import { ViewerModel } from '../staff/viewer.model';
import { CaseLoader } from './case.loader';
import { toCaseConnection } from './case.mapper';
import { CaseConnectionModel, CaseFilterInput, CaseModel, CaseTransitionModel } from './case.model';
import { CaseService } from './case.service';
import { MessageReference } from './message.model';
import { PublicationModel } from './publication.model';

/** Every query here is open to any viewer: row-level security limits the rows to their organisations. */
@Resolver(() => CaseModel)
export class CaseResolver {
  constructor(
    private readonly cases: CaseService,
    private readonly caseLoader: CaseLoader,
    private readonly organizations: OrganizationLoader,
    private readonly deadlines: DeadlineLoader,
  ) {}

  @Query(() => CaseConnectionModel, { name: 'cases', description: 'Cases the viewer may see, newest first' })
  @AnyViewer()
  async list(
    @Args('filter', { type: () => CaseFilterInput, nullable: true }) filter?: CaseFilterInput,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size: 20 unless given, at most 100' })
    first?: number,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page' })
    after?: string,
  ): Promise<CaseConnectionModel> {
    const page = await this.cases.list(
      { statuses: filter?.status ?? undefined, organizationId: filter?.organizationId ?? undefined },
      first ?? undefined,
      after ?? undefined,
    );
    return toCaseConnection(page);
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

  @ResolveField('executor', () => ViewerModel, { nullable: true, description: 'Who drafts the answer, once assigned' })
  executor(): ViewerModel | null {
    return null; // assignment comes with the case state machine (Step 2)
  }

  @ResolveField('repeatOf', () => CaseModel, {
    nullable: true,
    description: 'The earlier case this one repeats (cl. 9)',
  })
  repeatOf(): CaseModel | null {
    return null; // repeat detection comes later
  }

  @ResolveField('publications', () => [PublicationModel], { description: 'Each published (or attempted) answer' })
  publications(): PublicationModel[] {
    return []; // answers are published from Step 3 on
  }

  /** The gateway fetching cases other subgraphs point at (notify's notifications); batched per request. */
  @ResolveReference()
  resolveReference(reference: { id: unknown }, context: object): Promise<CaseModel | null> | null {
    return typeof reference.id === 'string' ? this.caseLoader.byId(context, reference.id) : null;
  }
}
