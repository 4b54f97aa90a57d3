import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CaseEntity } from '../cases/case.entity';
import { RoutingRepository } from './routing.repository';

/**
 * Officials' routing decisions as training examples (docs/routing.md): every case routed is a
 * text with the organisation chosen for it, written in the routing's own transaction so that
 * the example exists exactly when the decision does.
 */
@Injectable()
export class RoutingCorrections {
  constructor(private readonly routing: RoutingRepository) {}

  /** Records (the case's message, the organisation chosen); a case without text teaches nothing. */
  async record(kase: Pick<CaseEntity, 'id' | 'messageText'>, organizationId: string, login: string): Promise<void> {
    const text = kase.messageText?.trim() ?? '';
    if (text === '') return;
    await this.routing.insertExample({
      id: randomUUID(),
      organizationId,
      routed: true,
      text,
      topic: null,
      origin: 'CORRECTION',
      caseId: kase.id,
      createdBy: login,
      at: new Date(),
    });
  }
}
