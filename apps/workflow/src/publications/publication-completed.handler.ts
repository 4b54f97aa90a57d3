import { Injectable } from '@nestjs/common';
import { PublicationCompleted, PublicationCompletedV1 } from '@otklik/contracts';
import { EventHandler, HandlesEvent } from '@otklik/messaging';
import { CaseWorkflowService } from '../cases/case-workflow.service';

/**
 * notify reports what became of a publication: the case's publication and history take it.
 * Every organisation is in scope: the case may have been routed elsewhere since the answer was
 * approved (the event is published for the publication's organisation), and the handler touches
 * only the case and publication the event names.
 */
@Injectable()
@HandlesEvent(PublicationCompleted, { durable: 'publication-completed', scope: 'all-organizations' })
export class PublicationCompletedHandler implements EventHandler<PublicationCompletedV1> {
  constructor(private readonly workflow: CaseWorkflowService) {}

  async handle(completed: PublicationCompletedV1): Promise<void> {
    await this.workflow.publicationCompleted(completed);
  }
}
