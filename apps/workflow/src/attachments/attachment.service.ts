import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { Viewer } from '@otklik/auth';
import { ALL_ORGS, orgsScope } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import {
  ATTACHMENT_LIMITS,
  AttachmentKind,
  attachmentProblem,
  bareContentType,
  ByteRange,
  formatBytes,
  ObjectBody,
  ObjectStorage,
  StorageError,
} from '@otklik/storage';
import { canRead, refusalOf } from '../cases/case.access';
import { CaseRepository } from '../cases/case.repository';
import { TRANSITIONS } from '../cases/case.transitions';
import type { DraftAttachment } from '../drafts/draft.entity';
import { isUuid } from '../graphql/uuid';
import { OrganizationTree } from '../organizations/organization.tree';
import { AttachmentEntity } from './attachment.entity';
import { AttachmentException } from './attachment.exception';
import { AttachmentRepository } from './attachment.repository';

/** Injection token of the app's object store (local folder or S3 bucket, from its configuration). */
export const OBJECT_STORAGE = Symbol('ObjectStorage');

/** How long each kind of URL stays valid, in seconds. */
export const URL_LIFETIMES = {
  /** An upload URL: the upload must start within it (the bytes may take longer). */
  upload: 15 * 60,
  /** A file's URL in a GraphQL answer (the official's preview): reading the draft again gives a fresh one. */
  view: 60 * 60,
  /** A file's URL in publication.requested: the publisher may fetch it late (retries, an outage). */
  publication: 24 * 60 * 60,
} as const;

/** The longest file name kept (for display only). */
const MAX_FILE_NAME = 255;

export interface AttachmentUploadInput {
  caseId: string;
  type: string;
  contentType: string;
  size: number;
  fileName?: string | null;
}

export interface AttachmentUpload {
  attachment: AttachmentEntity;
  /** Where the client PUTs the bytes, with `Content-Type: attachment.contentType`. */
  uploadUrl: string;
  expiresAt: Date;
}

/** An uploaded file a draft names (`attachments[i]` of submitDraft). */
export interface UploadedAttachmentRef {
  /** How the input names it in messages, e.g. `attachments[2]`. */
  at: string;
  type: 'PHOTO' | 'VIDEO';
  attachmentId: string;
}

/** What a publisher needs of one attachment (publication.requested). */
export interface PublishedAttachment {
  type: 'PHOTO' | 'VIDEO';
  url: string;
  contentType?: string;
  /** An upload in this storage; a link an official gave has none (the publisher fetches it through the SSRF guard). */
  fromStorage?: true;
}

/** A file's name as shown: its last path segment, without control characters, at most 255 characters. */
function displayName(fileName: string | null | undefined): string | null {
  const name = (fileName ?? '')
    .split(/[\\/]/)
    .pop()!
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, MAX_FILE_NAME);
  return name === '' ? null : name;
}

/**
 * `Range: bytes=a-b` (one range; `a-` and `-n` too) within an object of `size` bytes; undefined
 * for no or an unusable header (the whole object is sent), null when no byte of it exists (416).
 */
export function byteRange(header: string | undefined, size: number): ByteRange | null | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 ? null : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return null;
  return start > end ? undefined : { start, end };
}

/**
 * Photos and videos of drafts (cl. 10). The executor of a case announces a file
 * (createAttachmentUpload) and gets a URL to PUT its bytes to: the gateway's
 * `/attachments/<key>`, which hands them to `receive`, or a presigned URL of the S3 bucket. A
 * draft then names the file by its id; its URL is made afresh whenever the draft is read or
 * published, for every URL expires.
 */
@Injectable()
export class AttachmentService implements OnApplicationShutdown {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly attachments: AttachmentRepository,
    private readonly cases: CaseRepository,
    private readonly tree: OrganizationTree,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  /**
   * createAttachmentUpload: whoever may submit the case's draft (its executor), while a draft may
   * be submitted, announces a file of an accepted type and size.
   */
  async createUpload(viewer: Viewer, input: AttachmentUploadInput): Promise<AttachmentUpload> {
    if (!isUuid(input.caseId)) {
      throw AttachmentException.badInput(`"${input.caseId}" is not a case id; case ids are UUIDs`);
    }
    const problem = attachmentProblem(input.type, input.contentType, input.size);
    if (problem) {
      const limit = ATTACHMENT_LIMITS[input.type as AttachmentKind];
      throw AttachmentException.badInput(problem.message, {
        reason: problem.code,
        ...(limit ? { maxBytes: limit.maxBytes, contentTypes: limit.contentTypes } : {}),
      });
    }
    return this.uow.run(async () => {
      const [kase] = await this.cases.findByIds([input.caseId]);
      const tree = await this.tree.current(kase?.organizationId);
      if (!kase || !canRead(viewer, kase, tree)) {
        throw AttachmentException.notFound(`no case ${input.caseId} among those you may see`);
      }
      const rule = TRANSITIONS.SUBMIT_DRAFT;
      const refusal = refusalOf(viewer, rule, kase, tree);
      if (refusal) throw AttachmentException.forbidden(`files are attached to a draft: ${refusal}`);
      if (!rule.from.includes(kase.status)) {
        throw AttachmentException.conflict(
          `case ${kase.id} is ${kase.status}; files are attached to a draft, which may be submitted only from ${rule.from.join(', ')}`,
        );
      }
      const id = randomUUID();
      const now = new Date();
      const attachment = Object.assign(new AttachmentEntity(), {
        id,
        caseId: kase.id,
        organizationId: kase.organizationId,
        type: input.type as AttachmentKind,
        contentType: bareContentType(input.contentType),
        size: input.size,
        fileName: displayName(input.fileName),
        storageKey: id,
        createdBy: viewer.login,
        createdAt: now,
        uploadedAt: null,
      } satisfies AttachmentEntity);
      await this.attachments.insert(attachment);
      const uploadUrl = await this.storage.uploadUrl(
        attachment.storageKey,
        { size: attachment.size, contentType: attachment.contentType },
        { expiresIn: URL_LIFETIMES.upload },
      );
      // Whole seconds, as the URL's own expiry is written.
      const expiresAt = new Date(Math.floor(now.getTime() / 1000 + URL_LIFETIMES.upload) * 1000);
      return { attachment, uploadUrl, expiresAt };
    });
  }

  /**
   * The bytes of an announced file, as the gateway passes them on from `PUT /attachments/<key>`
   * (it has checked the URL's signature). They must be of the announced type and size.
   */
  async receive(
    storageKey: string,
    body: Readable,
    request: { contentType?: string; contentLength?: number },
  ): Promise<AttachmentEntity> {
    const attachment = await this.announced(storageKey);
    if (attachment.uploadedAt) {
      throw AttachmentException.conflict(
        `attachment ${attachment.id} is uploaded already; ask for a new upload (createAttachmentUpload) to send another file`,
      );
    }
    const given = request.contentType ?? '';
    if (bareContentType(given) !== attachment.contentType) {
      throw AttachmentException.badInput(
        `this upload was announced as ${attachment.contentType}; the request’s Content-Type is "${given}": send the file with Content-Type ${attachment.contentType}`,
        { reason: 'UNSUPPORTED_TYPE' },
        415,
      );
    }
    if (request.contentLength !== undefined && request.contentLength !== attachment.size) {
      const larger = request.contentLength > attachment.size;
      throw AttachmentException.badInput(
        `this upload was announced as ${attachment.size} bytes${attachment.size >= 1024 ? ` (${formatBytes(attachment.size)})` : ''}; the request carries ${request.contentLength}: announce the file with its exact size`,
        { reason: larger ? 'TOO_LARGE' : 'SIZE_MISMATCH' },
        larger ? 413 : 400,
      );
    }
    try {
      await this.storage.put(storageKey, body, {
        kind: attachment.type,
        contentType: attachment.contentType,
        size: attachment.size,
      });
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      const status = error.code === 'TOO_LARGE' ? 413 : 400;
      throw AttachmentException.badInput(`the upload was refused: ${error.message}`, { reason: error.code }, status);
    }
    const uploadedAt = new Date();
    await this.uow.withinScope(orgsScope([attachment.organizationId]), () =>
      this.attachments.markUploaded(attachment.id, uploadedAt),
    );
    return { ...attachment, uploadedAt };
  }

  /**
   * The bytes of a file (or the range asked for), as the gateway serves them from
   * `GET /attachments/<key>` to the holder of a signed URL.
   */
  async open(storageKey: string, rangeHeader?: string): Promise<{ attachment: AttachmentEntity; object: ObjectBody }> {
    const attachment = await this.announced(storageKey);
    const stored = await this.storage.stat(storageKey);
    if (!stored) throw AttachmentException.notFound(`the file of attachment ${attachment.id} has not been uploaded`);
    const range = byteRange(rangeHeader, stored.size);
    if (range === null) {
      throw new AttachmentException(
        'BAD_USER_INPUT',
        `the range "${rangeHeader}" is outside the file’s ${stored.size} bytes`,
        { size: stored.size },
        416,
      );
    }
    const object = await this.storage.get(storageKey, range);
    if (!object) throw AttachmentException.notFound(`the file of attachment ${attachment.id} has not been uploaded`);
    return { attachment, object };
  }

  /**
   * The uploaded files a submitted draft names, as the draft keeps them: each must be an
   * attachment of this case, of the kind the draft says, with all its bytes in the store. Runs
   * in the caller's transaction and scope.
   */
  async uploadedForDraft(caseId: string, refs: readonly UploadedAttachmentRef[]): Promise<DraftAttachment[]> {
    const rows = await this.attachments.findByIds(refs.map((r) => r.attachmentId).filter(isUuid));
    const byId = new Map(rows.map((row) => [row.id, row]));
    const checked: DraftAttachment[] = [];
    for (const ref of refs) {
      const row = byId.get(ref.attachmentId);
      if (!row || row.caseId !== caseId) {
        throw AttachmentException.badInput(
          `${ref.at}.attachmentId: no attachment ${ref.attachmentId} of case ${caseId}; upload the file with createAttachmentUpload first`,
        );
      }
      if (row.type !== ref.type) {
        throw AttachmentException.badInput(`${ref.at}: attachment ${row.id} is a ${row.type}, not a ${ref.type}`);
      }
      if (!row.uploadedAt) await this.confirmUpload(row, ref.at);
      checked.push({ type: row.type, attachmentId: row.id, contentType: row.contentType, sizeBytes: row.size });
    }
    return checked;
  }

  /** The attachments of these ids that the caller may see. */
  byIds(ids: readonly string[]): Promise<AttachmentEntity[]> {
    return this.uow.run(() => this.attachments.findByIds(ids.filter(isUuid)));
  }

  /** A URL that serves the file to whoever holds it, for `lifetime`. */
  urlOf(attachment: Pick<AttachmentEntity, 'storageKey'>, lifetime: keyof typeof URL_LIFETIMES): Promise<string> {
    return this.storage.downloadUrl(attachment.storageKey, { expiresIn: URL_LIFETIMES[lifetime] });
  }

  /** A draft's attachments as the publisher fetches them: uploaded files get URLs that last a day. */
  async forPublication(attachments: readonly DraftAttachment[]): Promise<PublishedAttachment[]> {
    const ids = attachments.flatMap((a) => (a.attachmentId ? [a.attachmentId] : []));
    const rows = new Map((await this.attachments.findByIds(ids)).map((row) => [row.id, row]));
    return Promise.all(
      attachments.map(async (a) => {
        const contentType = a.contentType ? { contentType: a.contentType } : {};
        if (a.attachmentId === undefined) return { type: a.type, url: a.url, ...contentType };
        const row = rows.get(a.attachmentId);
        // The draft was checked against this row when it was submitted; a missing row is a bug.
        if (!row) throw new Error(`attachment ${a.attachmentId} of an approved draft is gone`);
        return { type: a.type, url: await this.urlOf(row, 'publication'), ...contentType, fromStorage: true };
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.storage.close();
  }

  /**
   * The attachment under this key, whatever its organisation: the caller is another Otklik
   * service acting for the holder of a URL that workflow signed for this one object.
   */
  private async announced(storageKey: string): Promise<AttachmentEntity> {
    const attachment = await this.uow.withinScope(ALL_ORGS, () => this.attachments.findByStorageKey(storageKey));
    if (!attachment) {
      throw AttachmentException.notFound(
        `no attachment ${storageKey}; ask for an upload URL with createAttachmentUpload`,
      );
    }
    return attachment;
  }

  /** An upload straight to the bucket (a presigned URL) is seen only by asking the store. */
  private async confirmUpload(row: AttachmentEntity, at: string): Promise<void> {
    const stored = await this.storage.stat(row.storageKey);
    if (!stored || stored.size !== row.size) {
      throw AttachmentException.badInput(
        `${at}: the file of attachment ${row.id} has not been uploaded${stored ? ' whole' : ''} yet: PUT its bytes to the uploadUrl of createAttachmentUpload, then submit the draft`,
      );
    }
    row.uploadedAt = new Date();
    await this.attachments.markUploaded(row.id, row.uploadedAt);
  }
}
