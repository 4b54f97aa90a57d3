import { DynamicModule, Module } from '@nestjs/common';
import { ObjectStorage, openObjectStorage } from '@otklik/storage';
import { CaseRepository } from '../cases/case.repository';
import { OrganizationsModule } from '../organizations/organizations.module';
import type { WorkflowConfig } from '../workflow.config';
import { AttachmentController } from './attachment.controller';
import { AttachmentLoader } from './attachment.loader';
import { AttachmentRepository } from './attachment.repository';
import { AttachmentResolver, DraftAttachmentResolver } from './attachment.resolver';
import { AttachmentService, OBJECT_STORAGE } from './attachment.service';

/** Stands in for the store while the schema is printed: nothing is opened then. */
function unopened(): ObjectStorage {
  const refuse = () => Promise.reject(new Error('the attachment store is not opened while printing the schema'));
  return {
    kind: 'local',
    put: refuse,
    get: refuse,
    stat: refuse,
    delete: refuse,
    uploadUrl: refuse,
    downloadUrl: refuse,
    close: () => Promise.resolve(),
  };
}

/**
 * Photos and videos of drafts: the store (a folder or an S3 bucket, opened at start so that a
 * bad setting stops the app), the attachments table, the upload mutation and the internal
 * routes the gateway passes bytes through. Global: the case workflow checks a draft's files
 * with AttachmentService. CaseRepository is listed again here (it is stateless) rather than
 * exported by CasesModule, which depends on this module.
 */
@Module({})
export class AttachmentsModule {
  static forConfig(config: WorkflowConfig): DynamicModule {
    return {
      module: AttachmentsModule,
      global: true,
      imports: [OrganizationsModule],
      controllers: [AttachmentController],
      providers: [
        {
          provide: OBJECT_STORAGE,
          useFactory: () =>
            config.printSchema ? unopened() : openObjectStorage(config.attachments, config.internalSecret),
        },
        AttachmentRepository,
        AttachmentService,
        AttachmentLoader,
        AttachmentResolver,
        DraftAttachmentResolver,
        CaseRepository,
      ],
      exports: [AttachmentService],
    };
  }
}
