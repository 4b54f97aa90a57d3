import { randomUUID } from 'node:crypto';
import type { MessageAcceptedV1 } from '@otklik/contracts';
import { CaseEntity } from './case.entity';

/**
 * A new DETECTED case of an accepted message, before anything about it is decided: no executor,
 * no repeat, no decision. `detectedAt` is what its ROUTE deadline counts from (cl. 5).
 */
export function newCaseOf(
  organizationId: string,
  message: MessageAcceptedV1,
  at: { detectedAt: Date; createdAt: Date },
): CaseEntity {
  return Object.assign(new CaseEntity(), {
    id: randomUUID(),
    organizationId,
    messageId: message.messageId,
    sourceId: message.sourceId,
    platform: message.platform,
    status: 'DETECTED',
    detectedAt: at.detectedAt,
    createdAt: at.createdAt,
    updatedAt: at.createdAt,
    version: 1,
    externalId: message.externalId,
    threadId: message.threadId ?? null,
    authorId: message.author?.id ?? null,
    authorName: message.author?.name ?? null,
    messageUrl: message.url ?? null,
    messageText: message.text,
    executorUserId: null,
    repeatOfId: null,
    exclusionReasons: null,
    decidedBy: null,
    decisionReason: null,
    closedAt: null,
    screeningReasons: message.screening ? [...message.screening.reasons] : null,
  } satisfies CaseEntity);
}
