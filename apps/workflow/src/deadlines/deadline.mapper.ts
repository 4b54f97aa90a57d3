import type { DeadlineView } from './deadline.service';
import { DeadlineModel } from './deadline.model';

export function toDeadlineModel(view: DeadlineView): DeadlineModel {
  return Object.assign(new DeadlineModel(), {
    kind: view.kind,
    startedAt: view.startedAt,
    dueAt: view.dueAt,
    state: view.state,
    responsibleUserId: view.responsibleUserId,
  });
}
