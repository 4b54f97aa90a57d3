import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AnyViewer, CurrentViewer, Roles, Viewer } from '@otklik/auth';
import { toDraftPreviewModel } from '../drafts/draft.mapper';
import { DraftPreviewModel } from '../drafts/draft.model';
import { CaseWorkflowService } from './case-workflow.service';
import { toCaseModel } from './case.mapper';
import {
  AddCaseCommentInput,
  ApproveDraftInput,
  AssignCaseInput,
  CaseModel,
  CloseCaseInput,
  DismissCaseInput,
  DraftPreviewInput,
  ExcludeCaseInput,
  LinkCasesInput,
  RecordManualPublicationInput,
  RegisterCaseInput,
  ReopenCaseInput,
  RetryPublicationInput,
  ReturnDraftInput,
  RouteCaseInput,
  SubmitDraftInput,
} from './case.model';

/**
 * The mutations of the case workflow (CONTRACT.md and case.transitions.ts). The roles here are
 * the first gate; the service checks them again against the case's organisation, its status
 * and, for drafts, its executor.
 */
@Resolver(() => CaseModel)
export class CaseWorkflowResolver {
  constructor(private readonly workflow: CaseWorkflowService) {}

  @Mutation(() => CaseModel, { description: 'Forward a detected case to the reception or a subdivision (cl. 5)' })
  @Roles('OFFICIAL')
  async routeCase(@CurrentViewer() viewer: Viewer, @Args('input') input: RouteCaseInput): Promise<CaseModel> {
    return toCaseModel(await this.workflow.route(viewer, input));
  }

  @Mutation(() => CaseModel, { description: 'Register a routed case: the ANSWER deadline starts (cl. 6)' })
  @Roles('RECEPTION')
  async registerCase(@CurrentViewer() viewer: Viewer, @Args('input') input: RegisterCaseInput): Promise<CaseModel> {
    return toCaseModel(await this.workflow.register(viewer, input));
  }

  @Mutation(() => CaseModel, {
    description: 'Assign the executor (the DRAFT deadline starts, cl. 7), or change the executor with a reason',
  })
  @Roles('RECEPTION', 'OFFICIAL')
  async assignCase(@CurrentViewer() viewer: Viewer, @Args('input') input: AssignCaseInput): Promise<CaseModel> {
    return toCaseModel(await this.workflow.assign(viewer, input));
  }

  @Mutation(() => CaseModel, {
    description: 'The executor hands a FINAL, INTERIM or CLARIFICATION draft to the official',
  })
  @Roles('EXECUTOR')
  async submitDraft(@CurrentViewer() viewer: Viewer, @Args('input') input: SubmitDraftInput): Promise<CaseModel> {
    return toCaseModel(await this.workflow.submitDraft(viewer, input));
  }

  @Mutation(() => CaseModel, { description: 'Send the draft back to the executor with what to change' })
  @Roles('OFFICIAL')
  async returnDraft(@CurrentViewer() viewer: Viewer, @Args('input') input: ReturnDraftInput): Promise<CaseModel> {
    return toCaseModel(await this.workflow.returnDraft(viewer, input));
  }

  @Mutation(() => CaseModel, {
    description: 'Approve the submitted draft: it is published, and the case moves by the draft’s kind',
  })
  @Roles('OFFICIAL')
  async approveDraft(@CurrentViewer() viewer: Viewer, @Args('input') input: ApproveDraftInput): Promise<CaseModel> {
    return toCaseModel(await this.workflow.approveDraft(viewer, input));
  }

  @Mutation(() => CaseModel, { description: 'Exclude a message under cl. 11: kept, never answered' })
  @Roles('OFFICIAL')
  async excludeCase(@CurrentViewer() viewer: Viewer, @Args('input') input: ExcludeCaseInput): Promise<CaseModel> {
    return toCaseModel(await this.workflow.exclude(viewer, input));
  }

  @Mutation(() => CaseModel, { description: 'Dismiss a message that is not critical, with the reason' })
  @Roles('OFFICIAL')
  async dismissCase(@CurrentViewer() viewer: Viewer, @Args('input') input: DismissCaseInput): Promise<CaseModel> {
    return toCaseModel(await this.workflow.dismiss(viewer, input));
  }

  @Mutation(() => CaseModel, { description: 'Close an answered case' })
  @Roles('OFFICIAL')
  async closeCase(@CurrentViewer() viewer: Viewer, @Args('input') input: CloseCaseInput): Promise<CaseModel> {
    return toCaseModel(await this.workflow.close(viewer, input));
  }

  @Mutation(() => CaseModel, { description: 'Reopen an answered or closed case (the author wrote again)' })
  @Roles('OFFICIAL')
  async reopenCase(@CurrentViewer() viewer: Viewer, @Args('input') input: ReopenCaseInput): Promise<CaseModel> {
    return toCaseModel(await this.workflow.reopen(viewer, input));
  }

  @Mutation(() => CaseModel, { description: 'Record an answer the official published by hand, with its address' })
  @Roles('OFFICIAL')
  async recordManualPublication(
    @CurrentViewer() viewer: Viewer,
    @Args('input') input: RecordManualPublicationInput,
  ): Promise<CaseModel> {
    return toCaseModel(await this.workflow.recordManualPublication(viewer, input));
  }

  @Mutation(() => CaseModel, {
    description:
      'Publish a FAILED answer again (or one left to be published by hand, once its source can publish): a new publication request; the old one stays in the history',
  })
  @Roles('OFFICIAL')
  async retryPublication(
    @CurrentViewer() viewer: Viewer,
    @Args('input') input: RetryPublicationInput,
  ): Promise<CaseModel> {
    return toCaseModel(await this.workflow.retryPublication(viewer, input));
  }

  @Mutation(() => CaseModel, { description: 'Add a note inside the team (never published)' })
  @AnyViewer()
  async addCaseComment(@CurrentViewer() viewer: Viewer, @Args('input') input: AddCaseCommentInput): Promise<CaseModel> {
    return toCaseModel(await this.workflow.comment(viewer, input));
  }

  @Mutation(() => CaseModel, { description: 'Link two cases about the same matter' })
  @Roles('OFFICIAL', 'RECEPTION', 'EXECUTOR')
  async linkCases(@CurrentViewer() viewer: Viewer, @Args('input') input: LinkCasesInput): Promise<CaseModel> {
    return toCaseModel(await this.workflow.link(viewer, input));
  }

  @Mutation(() => CaseModel, { description: 'Remove a link between two cases' })
  @Roles('OFFICIAL', 'RECEPTION', 'EXECUTOR')
  async unlinkCases(@CurrentViewer() viewer: Viewer, @Args('input') input: LinkCasesInput): Promise<CaseModel> {
    return toCaseModel(await this.workflow.link(viewer, input, true));
  }

  @Query(() => DraftPreviewModel, {
    description: 'A text as it would appear under the case’s message, with the platform’s limits checked (cl. 10)',
  })
  @AnyViewer()
  async draftPreview(
    @CurrentViewer() viewer: Viewer,
    @Args('input') input: DraftPreviewInput,
  ): Promise<DraftPreviewModel> {
    const platform = await this.workflow.platformOf(viewer, input.caseId);
    return toDraftPreviewModel(platform, { text: input.text, attachments: input.attachments ?? [] });
  }
}
