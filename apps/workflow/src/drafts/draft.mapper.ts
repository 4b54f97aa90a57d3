import { previewDraft } from '@otklik/channels';
import type { Platform } from '@otklik/contracts';
import type { DraftEntity } from './draft.entity';
import { DraftAttachmentModel, DraftModel, DraftPreviewModel } from './draft.model';

export function toDraftPreviewModel(
  platform: Platform,
  draft: { text: string; attachments: ReadonlyArray<{ type: 'PHOTO' | 'VIDEO'; contentType?: string }> },
): DraftPreviewModel {
  const preview = previewDraft(platform, { text: draft.text, attachments: draft.attachments });
  return Object.assign(new DraftPreviewModel(), {
    platform: preview.platform,
    text: preview.text,
    length: preview.length,
    maxLength: preview.maxLength,
    attachmentCount: preview.attachmentCount,
    maxAttachments: preview.maxAttachments,
    fits: preview.fits,
    problems: preview.problems,
  });
}

/** A draft with its preview on the platform of the case's message. */
export function toDraftModel(entity: DraftEntity, platform: Platform): DraftModel {
  return Object.assign(new DraftModel(), {
    id: entity.id,
    version: entity.version,
    kind: entity.kind,
    text: entity.text,
    measures: entity.measures,
    attachments: entity.attachments.map((a) =>
      Object.assign(new DraftAttachmentModel(), {
        type: a.type,
        url: a.url ?? null,
        contentType: a.contentType ?? null,
        attachmentId: a.attachmentId ?? null,
      }),
    ),
    submittedAt: entity.submittedAt,
    status: entity.status,
    decidedBy: entity.decidedBy,
    decidedAt: entity.decidedAt,
    decisionComment: entity.decisionComment,
    preview: toDraftPreviewModel(platform, entity),
    authorUserId: entity.authorUserId,
  });
}
