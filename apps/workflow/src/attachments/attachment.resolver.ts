import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentViewer, Roles, Viewer } from '@otklik/auth';
import { DraftAttachmentModel } from '../drafts/draft.model';
import { AttachmentLoader } from './attachment.loader';
import { toAttachmentUploadModel } from './attachment.mapper';
import { AttachmentUploadModel, CreateAttachmentUploadInput } from './attachment.model';
import { AttachmentService } from './attachment.service';

@Resolver(() => AttachmentUploadModel)
export class AttachmentResolver {
  constructor(private readonly attachments: AttachmentService) {}

  @Mutation(() => AttachmentUploadModel, {
    description:
      'The case’s executor announces a photo or video for its draft and gets where to upload it (then submitDraft names it)',
  })
  @Roles('EXECUTOR')
  async createAttachmentUpload(
    @CurrentViewer() viewer: Viewer,
    @Args('input') input: CreateAttachmentUploadInput,
  ): Promise<AttachmentUploadModel> {
    return toAttachmentUploadModel(await this.attachments.createUpload(viewer, input));
  }
}

/** A draft's file: its address, made afresh for an uploaded file (the URL expires). */
@Resolver(() => DraftAttachmentModel)
export class DraftAttachmentResolver {
  constructor(
    private readonly attachments: AttachmentService,
    private readonly loader: AttachmentLoader,
  ) {}

  @ResolveField('url', () => String)
  async url(@Parent() attachment: DraftAttachmentModel, @Context() context: object): Promise<string> {
    if (!attachment.attachmentId) return attachment.url ?? '';
    const stored = await this.loader.load(context, attachment.attachmentId);
    // Row-level security shows a draft's attachments wherever it shows the draft.
    if (!stored) throw new Error(`attachment ${attachment.attachmentId} of a draft is not readable`);
    return this.attachments.urlOf(stored, 'view');
  }
}
