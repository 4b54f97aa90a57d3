import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Viewer } from '@otklik/auth';
import { CallContext, callContext } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { PersonalDataReadRepository } from './personal-data-read.repository';
import type { PersonalDataField } from './personal-data.rules';

/** One field of one message's author, about to be returned to a person. */
export interface AuthorRead {
  messageId: string;
  organizationId: string;
  field: PersonalDataField;
}

interface Batch {
  /** Message → its organisation and the fields read. */
  messages: Map<string, { organizationId: string; fields: Set<PersonalDataField> }>;
  written: Promise<void>;
}

interface RequestReads {
  requestId: string;
  viewer: Viewer;
  /** The request's call context: its correlation id and row-level-security scope. */
  context: CallContext;
  /** Message → field → the write that logs it (made once per request). */
  logged: Map<string, Map<PersonalDataField, Promise<void>>>;
  /** The batch still gathering reads, written on the next turn of the event loop. */
  open?: Batch;
}

/**
 * Logs every read of an author's personal data by a person (152-FZ), before the data is
 * returned: a resolver awaits `record`, so a read that cannot be logged fails instead of being
 * answered. Reads are gathered per GraphQL request — the request object is the key, as for
 * requestLoader — and written together once the resolvers of this turn have asked: one insert
 * for a page of cases with their authors, one row per message, each field logged once per
 * request. Gathered by hand rather than with DataLoader: a read is a (message, field) pair that
 * must merge into its message's row, and a field already logged must not be written again.
 */
@Injectable()
export class PersonalDataReadRecorder {
  private readonly requests = new WeakMap<object, RequestReads>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PersonalDataReadRepository,
  ) {}

  record(request: object, viewer: Viewer, read: AuthorRead): Promise<void> {
    const reads = this.readsOf(request, viewer);
    let fields = reads.logged.get(read.messageId);
    if (!fields) reads.logged.set(read.messageId, (fields = new Map<PersonalDataField, Promise<void>>()));
    const logged = fields.get(read.field);
    if (logged) return logged;
    const batch = reads.open ?? this.openBatch(reads);
    const message = batch.messages.get(read.messageId);
    if (message) message.fields.add(read.field);
    else batch.messages.set(read.messageId, { organizationId: read.organizationId, fields: new Set([read.field]) });
    fields.set(read.field, batch.written);
    return batch.written;
  }

  private readsOf(request: object, viewer: Viewer): RequestReads {
    let reads = this.requests.get(request);
    if (!reads) {
      reads = { requestId: randomUUID(), viewer, context: callContext.require(), logged: new Map() };
      this.requests.set(request, reads);
    }
    return reads;
  }

  private openBatch(reads: RequestReads): Batch {
    const batch: Batch = {
      messages: new Map(),
      // setImmediate runs after every promise already settled: the resolvers of the whole level
      // (a list of messages, each author's fields) have asked by then.
      written: new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        reads.open = undefined;
        return this.write(reads, batch);
      }),
    };
    reads.open = batch;
    return batch;
  }

  /** In the request's own scope, in a transaction of its own (never one a resolver left open). */
  private write(reads: RequestReads, batch: Batch): Promise<void> {
    return callContext.run(reads.context, () =>
      this.uow.runIsolated(() =>
        this.reads.insertMany({
          requestId: reads.requestId,
          correlationId: reads.context.correlationId,
          viewerUserId: reads.viewer.userId,
          viewerLogin: reads.viewer.login,
          at: new Date(),
          reads: [...batch.messages].map(([messageId, m]) => ({
            id: randomUUID(),
            organizationId: m.organizationId,
            messageId,
            fields: [...m.fields].sort(),
          })),
        }),
      ),
    );
  }
}
