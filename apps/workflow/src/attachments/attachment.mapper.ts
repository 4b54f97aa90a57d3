import type { AttachmentUpload } from './attachment.service';
import { AttachmentUploadModel, HttpHeaderModel } from './attachment.model';

const header = (name: string, value: string): HttpHeaderModel => Object.assign(new HttpHeaderModel(), { name, value });

export function toAttachmentUploadModel(upload: AttachmentUpload): AttachmentUploadModel {
  return Object.assign(new AttachmentUploadModel(), {
    attachmentId: upload.attachment.id,
    uploadUrl: upload.uploadUrl,
    method: 'PUT',
    headers: [header('Content-Type', upload.attachment.contentType)],
    expiresAt: upload.expiresAt,
    size: upload.attachment.size,
  });
}
