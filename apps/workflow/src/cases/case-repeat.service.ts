import { Inject, Injectable } from '@nestjs/common';
import type { MessageAcceptedV1 } from '@otklik/contracts';
import { SERVICE_CONFIG } from '@otklik/service-kit';
import type { WorkflowConfig } from '../workflow.config';
import { CaseRepeatRepository, SimilarCase } from './case-repeat.repository';
import { CONSIDERED_STATUSES, IN_PROGRESS_STATUSES, REPEAT_MIN_SIMILARITY } from './case-repeat.similarity';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a new message is to the cases before it (cl. 9). */
export interface RepeatFinding {
  /** The most similar case about an issue already considered: the new case repeats it. */
  repeatOf: SimilarCase | null;
  /** The most similar case about the issue still in progress: the new case is linked to it. */
  inProgress: SimilarCase | null;
}

/** For the history: why the earlier case was found. */
export const describeMatch = (match: SimilarCase): string =>
  `${match.rule}, text similarity ${match.similarity.toFixed(2)}`;

/**
 * Repeat detection (cl. 9): among the cases of the same author, or of the same thread, on the
 * message's source, detected within the window (REPEAT_WINDOW_DAYS), those whose text is similar
 * enough are about the same issue; the most similar wins. Same author with a different issue is
 * a new matter, not a repeat.
 */
@Injectable()
export class CaseRepeatService {
  private readonly windowDays: number;

  constructor(
    private readonly repeats: CaseRepeatRepository,
    @Inject(SERVICE_CONFIG) config: WorkflowConfig,
  ) {
    this.windowDays = config.repeats.windowDays;
  }

  /** Runs in the caller's transaction and organisation scope. */
  async find(message: MessageAcceptedV1): Promise<RepeatFinding> {
    const since = new Date(Date.parse(message.receivedAt) - this.windowDays * DAY_MS);
    const similar = await this.repeats.findSimilar(
      {
        sourceId: message.sourceId,
        authorId: message.author?.id,
        threadId: message.threadId,
        text: message.text,
      },
      [...CONSIDERED_STATUSES, ...IN_PROGRESS_STATUSES],
      since,
      REPEAT_MIN_SIMILARITY,
    );
    return {
      repeatOf: similar.find((m) => CONSIDERED_STATUSES.includes(m.entity.status)) ?? null,
      inProgress: similar.find((m) => IN_PROGRESS_STATUSES.includes(m.entity.status)) ?? null,
    };
  }
}
