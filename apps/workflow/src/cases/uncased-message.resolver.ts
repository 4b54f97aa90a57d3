import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentViewer, Roles, Viewer } from '@otklik/auth';
import { OrganizationLoader } from '../organizations/organization.loader';
import { OrganizationModel } from '../organizations/organization.model';
import { toCaseModel } from './case.mapper';
import { CaseModel } from './case.model';
import { MessageReference } from './message.model';
import { toUncasedMessageConnection } from './uncased-message.mapper';
import { OpenCaseInput, UncasedMessageConnectionModel, UncasedMessageModel } from './uncased-message.model';
import { UncasedMessageService } from './uncased-message.service';

/**
 * Messages kept without a case (cl. 1) for those who triage: the official, the coordinator and the
 * reception of the message's organisation or one above it. The service checks the role again
 * against the message's organisation.
 */
@Resolver(() => UncasedMessageModel)
export class UncasedMessageResolver {
  constructor(
    private readonly uncased: UncasedMessageService,
    private readonly organizations: OrganizationLoader,
  ) {}

  @Query(() => UncasedMessageConnectionModel, {
    description:
      'Messages that opened no case because criticality found them not critical (cl. 1), newest first: those of the organisations where you are OFFICIAL, COORDINATOR or RECEPTION, and below',
  })
  @Roles('OFFICIAL', 'COORDINATOR', 'RECEPTION')
  async uncasedMessages(
    @CurrentViewer() viewer: Viewer,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size: 20 unless given, at most 100' })
    first?: number,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page' })
    after?: string,
  ): Promise<UncasedMessageConnectionModel> {
    return toUncasedMessageConnection(await this.uncased.list(viewer, first ?? undefined, after ?? undefined));
  }

  @Mutation(() => CaseModel, {
    description:
      'Open a case from a message kept without one: DETECTED, its ROUTE deadline (cl. 5) starting now, the reason in its history',
  })
  @Roles('OFFICIAL', 'COORDINATOR', 'RECEPTION')
  async openCase(@CurrentViewer() viewer: Viewer, @Args('input') input: OpenCaseInput): Promise<CaseModel> {
    return toCaseModel(await this.uncased.openCase(viewer, input));
  }

  @ResolveField('message', () => MessageReference, {
    description: 'The citizen’s message (from intake), with criticality’s verdict and its signals',
  })
  message(@Parent() uncased: UncasedMessageModel): { __typename: 'Message'; id: string } {
    return { __typename: 'Message', id: uncased.id };
  }

  @ResolveField('organization', () => OrganizationModel)
  async organization(@Parent() uncased: UncasedMessageModel, @Context() context: object): Promise<OrganizationModel> {
    const organization = await this.organizations.load(context, uncased.organizationId);
    // The message is visible, so its organisation is in the same scope; anything else is a bug.
    if (!organization) throw new Error(`organisation ${uncased.organizationId} of a visible message is not visible`);
    return organization;
  }
}
