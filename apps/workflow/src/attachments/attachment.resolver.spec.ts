import { findUnguardedResolvers } from '@otklik/auth';
import { AttachmentResolver, DraftAttachmentResolver } from './attachment.resolver';

describe('attachments are guarded by default (STYLE.md §10)', () => {
  it('createAttachmentUpload states who may call it', () => {
    expect(findUnguardedResolvers([AttachmentResolver, DraftAttachmentResolver])).toEqual([]);
  });
});
