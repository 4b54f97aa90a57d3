import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Viewer } from '@otklik/auth';
import { previewDraft, PUBLIC_ONLY, resolvedRefusal } from '@otklik/channels';
import {
  CaseAction,
  CaseStatus,
  CaseTransitioned,
  DRAFT_KINDS,
  DraftKind,
  EXCLUSION_REASONS,
  ExclusionReason,
  MessageAcceptedV1,
  PublicationCompletedV1,
  PublicationOutcome,
  PublicationRequested,
} from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { UnitOfWork } from '@otklik/persistence';
import type { DeadlineKind } from '../deadlines/deadline.policy';
import { DeadlineService } from '../deadlines/deadline.service';
import { AttachmentService, UploadedAttachmentRef } from '../attachments/attachment.service';
import { DraftAttachment, DraftEntity } from '../drafts/draft.entity';
import type { DraftAttachmentInput } from '../drafts/draft.model';
import { DraftRepository } from '../drafts/draft.repository';
import { isUuid } from '../graphql/uuid';
import { OrganizationTree, OrganizationTreeSnapshot } from '../organizations/organization.tree';
import { PublicationEntity } from '../publications/publication.entity';
import { PublicationRepository } from '../publications/publication.repository';
import { RoutingCorrections } from '../routing/routing-corrections.service';
import { StaffService } from '../staff/staff.service';
import { canRead, refusalOf } from './case.access';
import { CaseEntity } from './case.entity';
import { CaseException } from './case.exception';
import { CaseRepository } from './case.repository';
import { mutationsFrom, Outcome, outcomeOf, TRANSITIONS, TransitionRule } from './case.transitions';

/** Actor of transitions nobody made by hand. */
export const SYSTEM_ACTOR = 'system';

/** Longest free text of a reason, comment or draft measure. */
export const MAX_NOTE_LENGTH = 4000;
/** Attachments of one draft (the widest platform limit; each platform's own is checked too). */
export const MAX_ATTACHMENTS = 10;

export interface DraftInput {
  caseId: string;
  kind: DraftKind;
  text: string;
  attachments?: readonly DraftAttachmentInput[] | null;
  measures?: string | null;
}

/** Who takes a step: a person (their viewer) or workflow itself. */
type Taker = { viewer: Viewer } | { system: true };

/** What one step does beyond the table: the case's changed fields, the reason, and extras for the event. */
interface Step {
  reason?: string | null;
  changes?: Partial<CaseEntity>;
  outcome?: Outcome;
  exclusionReasons?: ExclusionReason[];
  fromOrganizationId?: string;
}

const loginOf = (taker: Taker): string => ('viewer' in taker ? taker.viewer.login : SYSTEM_ACTOR);
const userIdOf = (taker: Taker): string | undefined => ('viewer' in taker ? taker.viewer.userId : undefined);

function note(field: string, value: string | null | undefined, required: boolean): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') {
    if (required) throw CaseException.badInput(`${field} is required: say why, for the case’s history`);
    return null;
  }
  if (trimmed.length > MAX_NOTE_LENGTH) {
    throw CaseException.badInput(`${field} is ${trimmed.length} characters; at most ${MAX_NOTE_LENGTH}`);
  }
  return trimmed;
}

/**
 * The first decision on a case, set against screening's proposal (cl. 11) in its history line:
 * an exclusion confirms it or was found by the official alone; routing or dismissing a flagged
 * case overrules it. Later decisions (a case already routed) add nothing.
 */
export function withScreening(
  reason: string,
  kase: Pick<CaseEntity, 'status' | 'screeningReasons'>,
  excluding: boolean,
): string {
  const proposed = kase.screeningReasons;
  if (proposed === null || kase.status !== 'DETECTED') return reason;
  const verdict =
    proposed.length === 0
      ? excluding
        ? 'screening had found nothing'
        : null
      : excluding
        ? `confirms screening (${proposed.join(', ')})`
        : `overrules screening, which proposed exclusion (${proposed.join(', ')})`;
  return verdict ? `${reason}; ${verdict}` : reason;
}

/**
 * How notify's report of a publication reads in the case's history. MANUAL has no line: it says
 * what the channel is (no API there), not that anything happened; the publication shows it, and
 * the official's recordManualPublication is the line when the answer is out.
 */
const PUBLICATION_OUTCOME: Record<
  Exclude<PublicationOutcome, 'MANUAL'>,
  (kind: DraftKind, completed: PublicationCompletedV1) => { action: CaseAction; reason: string }
> = {
  PUBLISHED: (kind, c) => ({
    action: 'ANSWER_PUBLISHED',
    reason: `${kind} answer published${c.url ? `: ${c.url}` : ' (the platform gives no address)'}`,
  }),
  FAILED: (kind, c) => ({
    action: 'PUBLICATION_FAILED',
    reason: `${kind} answer not published: ${c.error ?? 'no reason given'}`,
  }),
};

const isHttpUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
};

/**
 * The case workflow: every transition of case.transitions.ts, applied the same way — the case
 * locked, visibility (NOT_FOUND), role (FORBIDDEN) and status (CONFLICT) checked in that order,
 * the step's own input checked, then the case, its deadlines, its history and the
 * `case.transitioned` event written in one transaction.
 */
@Injectable()
export class CaseWorkflowService {
  private readonly logger = new Logger(CaseWorkflowService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly cases: CaseRepository,
    private readonly drafts: DraftRepository,
    private readonly publications: PublicationRepository,
    private readonly deadlines: DeadlineService,
    private readonly tree: OrganizationTree,
    private readonly staff: StaffService,
    private readonly outbox: EventOutbox,
    private readonly attachments: AttachmentService,
    private readonly corrections: RoutingCorrections,
  ) {}

  /** routeCase (cl. 5): to the reception or a subdivision; ends the ROUTE deadline. */
  route(
    viewer: Viewer,
    input: { caseId: string; organizationId: string; comment?: string | null },
  ): Promise<CaseEntity> {
    return this.take(viewer, input.caseId, 'ROUTE', async (kase, tree) => {
      if (!isUuid(input.organizationId) || !viewer.visibleOrganizationIds.includes(input.organizationId)) {
        throw CaseException.notFound(`organisation ${input.organizationId} is not among those you may see`);
      }
      const target = tree.get(input.organizationId);
      const officialOf = viewer.roles.filter((r) => r.role === 'OFFICIAL').map((r) => r.organizationId);
      if (!target || !tree.subtreesOf(officialOf).has(target.id)) {
        throw CaseException.forbidden(
          `you may route only to organisations at or below those where you are OFFICIAL; ${target?.code ?? input.organizationId} is not one`,
        );
      }
      if (kase.status === 'ROUTED' && kase.organizationId === target.id) {
        throw CaseException.conflict(`case ${kase.id} is already routed to ${target.code}`);
      }
      const moved = target.id !== kase.organizationId;
      if (moved) await this.deadlines.moveCase(kase.id, target.id);
      // The official's choice teaches the routing model (docs/routing.md), in this transaction.
      await this.corrections.record(kase, target.id, viewer.login);
      return {
        reason: withScreening(
          [`to ${target.code}`, note('comment', input.comment, false)].filter(Boolean).join(': '),
          kase,
          false,
        ),
        changes: { organizationId: target.id },
        fromOrganizationId: moved ? kase.organizationId : undefined,
      };
    });
  }

  /** registerCase (cl. 6): starts the ANSWER deadline; a repeat with a pre-set executor is assigned at once (cl. 9). */
  async register(viewer: Viewer, input: { caseId: string }): Promise<CaseEntity> {
    return this.uow.run(async () => {
      const kase = await this.take(viewer, input.caseId, 'REGISTER', () => Promise.resolve({}));
      if (!kase.executorUserId) return kase;
      const tree = await this.tree.current(kase.organizationId);
      return this.apply({ system: true }, kase, TRANSITIONS.ASSIGN, tree, {
        reason: `repeat of case ${kase.repeatOfId ?? ''}: assigned to the executor of the earlier case (cl. 9)`,
        changes: { executorUserId: kase.executorUserId },
      });
    });
  }

  /** assignCase: REGISTERED → ASSIGNED (starts DRAFT); later, a change of executor with its reason. */
  assign(
    viewer: Viewer,
    input: { caseId: string; executorLogin: string; reason?: string | null },
  ): Promise<CaseEntity> {
    return this.uow.run(async () => {
      const current = await this.readable(viewer, input.caseId);
      const action: CaseAction = TRANSITIONS.REASSIGN.from.includes(current.status) ? 'REASSIGN' : 'ASSIGN';
      return this.take(viewer, input.caseId, action, async (kase, tree) => {
        const executor = await this.executorFor(kase, input.executorLogin, tree);
        if (action === 'REASSIGN') {
          if (executor === kase.executorUserId) {
            throw CaseException.conflict(`${input.executorLogin} is the case’s executor already`);
          }
          const reason = note('reason', input.reason, true);
          return { reason: `to ${input.executorLogin}: ${reason}`, changes: { executorUserId: executor } };
        }
        return {
          reason: [`to ${input.executorLogin}`, note('reason', input.reason, false)].filter(Boolean).join(': '),
          changes: { executorUserId: executor },
        };
      });
    });
  }

  /** submitDraft (cl. 7): a new version of the answer, checked against the message's platform (cl. 10). */
  async submitDraft(viewer: Viewer, input: DraftInput): Promise<CaseEntity> {
    await checkLinkedFiles(input.attachments ?? []);
    return this.take(viewer, input.caseId, 'SUBMIT_DRAFT', async (kase) => {
      if (!(DRAFT_KINDS as readonly string[]).includes(input.kind)) {
        throw CaseException.badInput(`kind must be one of ${DRAFT_KINDS.join(', ')}`);
      }
      const open = await this.deadlines.openKindsOf(kase.id);
      if ((kase.status === 'AWAITING_FINAL' || open.includes('FINAL')) && input.kind !== 'FINAL') {
        throw CaseException.conflict(
          `an interim answer of case ${kase.id} is out: only a FINAL draft may follow it (cl. 8); got ${input.kind}`,
        );
      }
      const attachments = await this.checkedAttachments(kase.id, input.attachments ?? []);
      const measures = note('measures', input.measures, false);
      if (kase.repeatOfId && input.kind !== 'CLARIFICATION' && !measures) {
        throw CaseException.badInput(
          `measures is required: case ${kase.id} repeats case ${kase.repeatOfId}, and its answer must say what was done or how it is going (cl. 9)`,
        );
      }
      const preview = previewDraft(kase.platform, { text: input.text ?? '', attachments });
      if (!preview.fits)
        throw CaseException.badInput(`the draft does not fit ${kase.platform}: ${preview.problems.join('; ')}`);
      const draft = Object.assign(new DraftEntity(), {
        id: randomUUID(),
        caseId: kase.id,
        organizationId: kase.organizationId,
        version: await this.drafts.nextVersion(kase.id),
        kind: input.kind,
        text: preview.text,
        measures,
        attachments,
        authorUserId: viewer.userId,
        submittedAt: new Date(),
        status: 'SUBMITTED',
        decidedBy: null,
        decidedAt: null,
        decisionComment: null,
      } satisfies DraftEntity);
      await this.drafts.insert(draft);
      return { reason: `${draft.kind} draft, version ${draft.version}` };
    });
  }

  /** returnDraft: back to the executor with what to change; a new DRAFT deadline starts. */
  returnDraft(viewer: Viewer, input: { caseId: string; comment: string }): Promise<CaseEntity> {
    return this.take(viewer, input.caseId, 'RETURN_DRAFT', async (kase) => {
      const comment = note('comment', input.comment, true) as string;
      const draft = await this.submittedDraftOf(kase);
      await this.drafts.decide(draft.id, {
        status: 'RETURNED',
        decidedBy: viewer.login,
        decidedAt: new Date(),
        decisionComment: comment,
      });
      return { reason: `version ${draft.version} returned: ${comment}` };
    });
  }

  /**
   * approveDraft: the case moves at once by the draft's kind (FINAL → ANSWERED, INTERIM →
   * AWAITING_FINAL and the FINAL deadline starts, CLARIFICATION → AWAITING_AUTHOR) and the
   * answer is handed to notify for publication (publication.requested), PENDING until it reports.
   */
  approveDraft(viewer: Viewer, input: { caseId: string }): Promise<CaseEntity> {
    return this.take(viewer, input.caseId, 'APPROVE_DRAFT', async (kase, tree) => {
      const draft = await this.submittedDraftOf(kase);
      const now = new Date();
      await this.drafts.decide(draft.id, {
        status: 'APPROVED',
        decidedBy: viewer.login,
        decidedAt: now,
        decisionComment: null,
      });
      await this.requestPublication(kase, draft, tree, now);
      return {
        reason: `${draft.kind} draft, version ${draft.version}, approved for publication`,
        outcome: outcomeOf(TRANSITIONS.APPROVE_DRAFT, draft.kind),
      };
    });
  }

  /**
   * retryPublication: a FAILED publication (or one notify left to be published by hand, e.g. its
   * source had no key then) is requested again from the same approved draft, under a new id — a
   * new idempotency key, so the platform takes it as a new answer; the old one stays as it was.
   */
  async retryPublication(viewer: Viewer, input: { publicationId: string }): Promise<CaseEntity> {
    if (!isUuid(input.publicationId)) {
      throw CaseException.badInput(`"${input.publicationId}" is not a publication id; publication ids are UUIDs`);
    }
    const found = await this.uow.run(() => this.publications.findById(input.publicationId));
    if (!found) throw CaseException.notFound(`no publication ${input.publicationId} among those you may see`);
    return this.take(viewer, found.caseId, 'RETRY_PUBLICATION', async (kase, tree) => {
      const publication = (await this.publications.findById(found.id)) ?? found;
      const retryable = publication.status === 'FAILED' || (publication.status === 'MANUAL' && !publication.url);
      if (!retryable) {
        throw CaseException.conflict(
          `publication ${publication.id} is ${publication.status}${publication.url ? ` at ${publication.url}` : ''}; ` +
            'only a FAILED one, or one left to be published by hand, can be retried',
        );
      }
      const draft = publication.draftId
        ? (await this.drafts.ofCases([kase.id])).find((d) => d.id === publication.draftId)
        : undefined;
      if (!draft) {
        throw CaseException.conflict(`publication ${publication.id} was recorded by hand, without a draft to publish`);
      }
      const retried = await this.requestPublication(kase, draft, tree, new Date());
      return { reason: `${draft.kind} answer requested again as publication ${retried.id} (after ${publication.id})` };
    });
  }

  /**
   * notify's report on a publication (publication.completed): the publication takes its outcome
   * and, when published or failed, the case's history a line (ANSWER_PUBLISHED,
   * PUBLICATION_FAILED), announced like any transition (case.transitioned, so caseEvents shows
   * it). A report of a publication already settled (reported before, or recorded by hand
   * meanwhile) changes nothing.
   */
  async publicationCompleted(completed: PublicationCompletedV1): Promise<CaseEntity | null> {
    return this.uow.run(async () => {
      const kase = await this.cases.lockById(completed.caseId);
      // The report comes from the request workflow made: a case it cannot find is a bug, not input.
      if (!kase) throw new Error(`publication.completed names case ${completed.caseId}, which does not exist`);
      const settled = await this.publications.complete(completed.publicationId, {
        status: completed.status,
        url: completed.url ?? null,
        error: completed.status === 'PUBLISHED' ? null : (completed.error ?? null),
        at: new Date(completed.at),
      });
      if (!settled) {
        this.logger.log(
          `publication ${completed.publicationId} of case ${kase.id}: ${completed.status} reported, but it is no longer pending; kept as it is`,
        );
        return null;
      }
      if (completed.status === 'MANUAL') return kase;
      const { action, reason } = PUBLICATION_OUTCOME[completed.status](settled.kind, completed);
      const tree = await this.tree.current(kase.organizationId);
      return this.apply({ system: true }, kase, TRANSITIONS[action], tree, {
        reason: reason.slice(0, MAX_NOTE_LENGTH),
      });
    });
  }

  /** A publication of the approved draft, PENDING, and its request to notify (publication.requested). */
  private async requestPublication(
    kase: CaseEntity,
    draft: DraftEntity,
    tree: OrganizationTreeSnapshot,
    now: Date,
  ): Promise<PublicationEntity> {
    const publication = Object.assign(new PublicationEntity(), {
      id: randomUUID(),
      caseId: kase.id,
      organizationId: kase.organizationId,
      draftId: draft.id,
      kind: draft.kind,
      platform: kase.platform,
      status: 'PENDING',
      url: null,
      error: null,
      requestedAt: now,
      at: null,
      recordedBy: null,
    } satisfies PublicationEntity);
    await this.publications.insert(publication);
    await this.outbox.add(PublicationRequested, kase.organizationId, {
      publicationId: publication.id,
      caseId: kase.id,
      draftId: draft.id,
      kind: draft.kind,
      messageId: kase.messageId,
      sourceId: kase.sourceId,
      platform: kase.platform,
      externalId: kase.externalId ?? kase.messageId,
      ...(kase.threadId ? { threadId: kase.threadId } : {}),
      ...(kase.messageUrl ? { url: kase.messageUrl } : {}),
      ...(kase.authorId ? { authorId: kase.authorId } : {}),
      text: draft.text,
      attachments: await this.attachments.forPublication(draft.attachments),
      organizationPath: tree.pathOf(kase.organizationId),
    });
    return publication;
  }

  /** excludeCase (cl. 11): kept, with the reasons and who decided; deadlines other than ROUTE are cancelled. */
  exclude(
    viewer: Viewer,
    input: { caseId: string; reasons: readonly ExclusionReason[]; comment?: string | null },
  ): Promise<CaseEntity> {
    return this.take(viewer, input.caseId, 'EXCLUDE', (kase) => {
      const reasons = [...new Set(input.reasons ?? [])];
      if (reasons.length === 0)
        throw CaseException.badInput(`reasons: name at least one of ${EXCLUSION_REASONS.join(', ')} (cl. 11)`);
      const unknown = reasons.filter((r) => !(EXCLUSION_REASONS as readonly string[]).includes(r));
      if (unknown.length > 0)
        throw CaseException.badInput(`reasons: ${unknown.join(', ')} is not one of ${EXCLUSION_REASONS.join(', ')}`);
      const comment = note('comment', input.comment, false);
      return Promise.resolve({
        reason: withScreening([reasons.join(', '), comment].filter(Boolean).join(': '), kase, true),
        changes: { exclusionReasons: reasons, decidedBy: viewer.login, decisionReason: comment },
        exclusionReasons: reasons,
      });
    });
  }

  /** dismissCase: not critical, with the reason. */
  dismiss(viewer: Viewer, input: { caseId: string; reason: string }): Promise<CaseEntity> {
    return this.take(viewer, input.caseId, 'DISMISS', (kase) => {
      const reason = note('reason', input.reason, true);
      return Promise.resolve({
        reason: withScreening(reason ?? '', kase, false),
        changes: { decidedBy: viewer.login, decisionReason: reason },
      });
    });
  }

  /** closeCase: the answer stands; nothing more to do. */
  close(viewer: Viewer, input: { caseId: string; comment?: string | null }): Promise<CaseEntity> {
    return this.take(viewer, input.caseId, 'CLOSE', () =>
      Promise.resolve({ reason: note('comment', input.comment, false), changes: { closedAt: new Date() } }),
    );
  }

  /** reopenCase: the author wrote again about an answered case; back to its executor with new deadlines. */
  reopen(viewer: Viewer, input: { caseId: string; reason: string }): Promise<CaseEntity> {
    return this.take(viewer, input.caseId, 'REOPEN', (kase) => {
      const reason = note('reason', input.reason, true);
      if (!kase.executorUserId)
        throw CaseException.conflict(`case ${kase.id} has no executor to go back to; route it again instead`);
      return Promise.resolve({ reason, changes: { closedAt: null } });
    });
  }

  /** An answer the official published by hand, with its address; settles the newest unpublished one. */
  recordManualPublication(
    viewer: Viewer,
    input: { caseId: string; url: string; kind?: DraftKind | null },
  ): Promise<CaseEntity> {
    return this.take(viewer, input.caseId, 'RECORD_PUBLICATION', async (kase) => {
      if (!isHttpUrl(input.url ?? ''))
        throw CaseException.badInput(`url must be the http(s) address of the published answer; got "${input.url}"`);
      const recorded = await this.publications.recordManual(
        kase,
        input.url,
        input.kind ?? null,
        viewer.login,
        new Date(),
      );
      return { reason: `${recorded.kind} answer published by hand: ${input.url}` };
    });
  }

  /** A note inside the team; never published. */
  comment(viewer: Viewer, input: { caseId: string; text: string }): Promise<CaseEntity> {
    return this.uow.run(async () => {
      const kase = await this.readable(viewer, input.caseId);
      const text = note('text', input.text, true) as string;
      await this.cases.appendComment({
        id: randomUUID(),
        caseId: kase.id,
        organizationId: kase.organizationId,
        authorLogin: viewer.login,
        text,
        at: new Date(),
      });
      return kase;
    });
  }

  /** Links two cases about the same matter (both visible to the viewer); recorded in both histories. */
  link(viewer: Viewer, input: { caseId: string; relatedCaseId: string }, unlink = false): Promise<CaseEntity> {
    return this.uow.run(async () => {
      if (input.caseId === input.relatedCaseId) throw CaseException.badInput('a case cannot be linked to itself');
      const other = await this.readable(viewer, input.relatedCaseId);
      const action: CaseAction = unlink ? 'UNLINK' : 'LINK';
      return this.take(viewer, input.caseId, action, async (kase) => {
        const changed = unlink
          ? await this.cases.unlink(kase.id, other.id)
          : await this.cases.link(kase, other, viewer.login, new Date());
        if (!changed)
          throw CaseException.conflict(
            `cases ${kase.id} and ${other.id} are ${unlink ? 'not linked' : 'linked already'}`,
          );
        const tree = await this.tree.current(other.organizationId);
        // The other case's history changes too: the viewer must be allowed to link there as well.
        const refusal = refusalOf(viewer, TRANSITIONS[action], other, tree);
        if (refusal) throw CaseException.forbidden(`case ${other.id}: ${refusal}`);
        await this.apply({ viewer }, await this.lockedOrThrow(other.id), TRANSITIONS[action], tree, {
          reason: `with case ${kase.id}`,
        });
        return { reason: `with case ${other.id}` };
      });
    });
  }

  /**
   * Opening path (system): a new message of an author whose case awaits their clarification
   * (cl. 7) joins that case and returns it to the executor. Returns the case it joined, or null
   * when there is none (the message opens a case of its own).
   */
  async joinReply(organizationId: string, message: MessageAcceptedV1): Promise<CaseEntity | null> {
    return this.uow.run(async () => {
      const probe = { sourceId: message.sourceId, authorId: message.author?.id, threadId: message.threadId };
      const waiting =
        (await this.cases.findLatestOfAuthorOrThread(probe, ['AWAITING_AUTHOR'], 'author')) ??
        (await this.cases.findLatestOfAuthorOrThread(probe, ['AWAITING_AUTHOR'], 'thread'));
      if (!waiting) return null;
      const kase = await this.lockedOrThrow(waiting.id);
      if (kase.status !== 'AWAITING_AUTHOR') return null;
      const joined = await this.cases.joinMessage({
        messageId: message.messageId,
        caseId: kase.id,
        organizationId: kase.organizationId,
        text: message.text,
        url: message.url ?? null,
        postedAt: new Date(message.postedAt),
        joinedAt: new Date(),
      });
      if (!joined) return kase;
      const tree = await this.tree.current(organizationId);
      return this.apply({ system: true }, kase, TRANSITIONS.AUTHOR_REPLIED, tree, {
        reason: `the author replied (message ${message.messageId})`,
      });
    });
  }

  /** The platform of a case the viewer may read (for previews). */
  async platformOf(viewer: Viewer, caseId: string): Promise<CaseEntity['platform']> {
    return (await this.readable(viewer, caseId)).platform;
  }

  /** A case the viewer may read, or NOT_FOUND. */
  private async readable(viewer: Viewer, caseId: string): Promise<CaseEntity> {
    if (!isUuid(caseId)) throw CaseException.badInput(`"${caseId}" is not a case id; case ids are UUIDs`);
    const [kase] = await this.uow.run(() => this.cases.findByIds([caseId]));
    const tree = await this.tree.current(kase?.organizationId);
    if (!kase || !canRead(viewer, kase, tree))
      throw CaseException.notFound(`no case ${caseId} among those you may see`);
    return kase;
  }

  private async lockedOrThrow(caseId: string): Promise<CaseEntity> {
    const kase = await this.cases.lockById(caseId);
    if (!kase) throw CaseException.notFound(`no case ${caseId} among those you may see`);
    return kase;
  }

  /** Locks the case, checks who and from where, runs the step's own work, and applies the table. */
  private take(
    viewer: Viewer,
    caseId: string,
    action: CaseAction,
    work: (kase: CaseEntity, tree: OrganizationTreeSnapshot) => Promise<Step>,
  ): Promise<CaseEntity> {
    if (!isUuid(caseId)) throw CaseException.badInput(`"${caseId}" is not a case id; case ids are UUIDs`);
    const rule = TRANSITIONS[action];
    return this.uow.run(async () => {
      const kase = await this.cases.lockById(caseId);
      const tree = await this.tree.current(kase?.organizationId);
      if (!kase || !canRead(viewer, kase, tree))
        throw CaseException.notFound(`no case ${caseId} among those you may see`);
      const refusal = refusalOf(viewer, rule, kase, tree);
      if (refusal) throw CaseException.forbidden(refusal);
      if (!rule.from.includes(kase.status)) {
        const allowed = mutationsFrom(kase.status);
        throw CaseException.conflict(
          `case ${kase.id} is ${kase.status}; ${rule.mutation} is allowed only from ${rule.from.join(', ') || 'no status'}. ` +
            (allowed.length > 0 ? `From ${kase.status}: ${allowed.join(', ')}.` : `${kase.status} is final.`),
        );
      }
      const step = await work(kase, tree);
      return this.apply({ viewer }, kase, rule, await this.tree.current(step.changes?.organizationId), step);
    });
  }

  /** Writes one transition: the case, its deadlines, its history line and its event (in the open transaction). */
  private async apply(
    taker: Taker,
    kase: CaseEntity,
    rule: TransitionRule,
    tree: OrganizationTreeSnapshot,
    step: Step,
  ): Promise<CaseEntity> {
    const now = new Date();
    const outcome = step.outcome ?? outcomeOf(rule);
    const from = kase.status;
    const to: CaseStatus = outcome.to === 'SAME' ? from : outcome.to;
    Object.assign(kase, step.changes ?? {}, { status: to });
    await this.cases.save(kase);

    const actorId = userIdOf(taker);
    // A new executor answers for every open deadline of the case from now on (cl. 18).
    if (step.changes?.executorUserId) {
      await this.deadlines.makeResponsible(kase.id, ['DRAFT', 'ANSWER', 'FINAL'], step.changes.executorUserId);
    }
    if (outcome.settles.length > 0) {
      await this.deadlines.settle(kase.id, outcome.settles, now, 'done', kase.executorUserId ?? actorId);
    }
    if (outcome.cancels.length > 0) await this.deadlines.settle(kase.id, outcome.cancels, now, 'cancelled');
    const organization = tree.get(kase.organizationId);
    if (outcome.starts.length > 0 && !organization) {
      throw new Error(`organisation ${kase.organizationId} of case ${kase.id} is not in the organisation tree`);
    }
    for (const kind of outcome.starts) {
      await this.deadlines.start(kind, {
        caseId: kase.id,
        organizationId: kase.organizationId,
        startedAt: now,
        timeZone: organization?.timeZone as string,
        responsibleUserId: this.responsibleFor(kind, kase, actorId),
      });
    }

    const reason = step.reason ?? null;
    await this.cases.appendTransition({
      id: randomUUID(),
      caseId: kase.id,
      organizationId: kase.organizationId,
      action: rule.action,
      fromStatus: from,
      toStatus: to,
      actor: loginOf(taker),
      reason,
      at: now,
    });
    await this.outbox.add(CaseTransitioned, kase.organizationId, {
      caseId: kase.id,
      messageId: kase.messageId,
      action: rule.action,
      fromStatus: from,
      toStatus: to,
      actor: loginOf(taker),
      ...(reason ? { reason: reason.slice(0, MAX_NOTE_LENGTH) } : {}),
      at: now.toISOString(),
      ...(kase.executorUserId ? { executorUserId: kase.executorUserId } : {}),
      ...(step.fromOrganizationId ? { fromOrganizationId: step.fromOrganizationId } : {}),
      organizationPath: tree.pathOf(kase.organizationId),
      ...(step.exclusionReasons ? { exclusionReasons: step.exclusionReasons } : {}),
    });
    this.logger.log(`case ${kase.id}: ${rule.action} ${from} → ${to} by ${loginOf(taker)}`);
    return kase;
  }

  /** Who answers for a new deadline (cl. 18): the executor, else (ANSWER at registration) who registered it. */
  private responsibleFor(kind: DeadlineKind, kase: CaseEntity, actorId: string | undefined): string | null {
    if (kind === 'ROUTE') return null;
    return kase.executorUserId ?? (kind === 'ANSWER' ? (actorId ?? null) : null);
  }

  /** The user id of `login` when they may draft this case's answer: EXECUTOR in its organisation or above. */
  private async executorFor(kase: CaseEntity, login: string, tree: OrganizationTreeSnapshot): Promise<string> {
    const member = login ? await this.staff.memberByLogin(login) : null;
    const path = tree.pathOf(kase.organizationId);
    if (!member || !member.roles.some((r) => r.role === 'EXECUTOR' && path.includes(r.organizationId))) {
      const where = tree.get(kase.organizationId)?.code ?? kase.organizationId;
      throw CaseException.badInput(
        `executorLogin: "${login}" is not an executor of ${where} or of an organisation above it`,
      );
    }
    return member.user.id;
  }

  private async submittedDraftOf(kase: CaseEntity): Promise<DraftEntity> {
    const draft = await this.drafts.findSubmitted(kase.id);
    // DRAFT_SUBMITTED without a submitted draft cannot happen through the table: a bug, not bad input.
    if (!draft) throw new Error(`case ${kase.id} is DRAFT_SUBMITTED but has no submitted draft`);
    return draft;
  }

  /** Each attachment is an uploaded file of this case (attachmentId) or a file already online (url). */
  private async checkedAttachments(
    caseId: string,
    attachments: readonly DraftAttachmentInput[],
  ): Promise<DraftAttachment[]> {
    if (attachments.length > MAX_ATTACHMENTS) {
      throw CaseException.badInput(`attachments: ${attachments.length} given; at most ${MAX_ATTACHMENTS}`);
    }
    const uploaded: UploadedAttachmentRef[] = [];
    const checked = attachments.map((a, i): DraftAttachment | UploadedAttachmentRef => {
      if (a.type !== 'PHOTO' && a.type !== 'VIDEO')
        throw CaseException.badInput(`attachments[${i}].type must be PHOTO or VIDEO`);
      if (a.attachmentId) {
        if (a.url)
          throw CaseException.badInput(`attachments[${i}]: give attachmentId (an uploaded file) or url, not both`);
        const ref = { at: `attachments[${i}]`, type: a.type, attachmentId: a.attachmentId };
        uploaded.push(ref);
        return ref;
      }
      if (!isHttpUrl(a.url ?? ''))
        throw CaseException.badInput(
          `attachments[${i}].url must be an http(s) address; got "${a.url ?? ''}" (or give the attachmentId of an uploaded file)`,
        );
      return { type: a.type, url: a.url as string, ...(a.contentType ? { contentType: a.contentType } : {}) };
    });
    const stored = await this.attachments.uploadedForDraft(caseId, uploaded);
    return checked.map((a) => ('at' in a ? stored[uploaded.indexOf(a)] : a));
  }
}

/**
 * A file an official links to is fetched by notify's publisher: it must be on the public
 * internet (SSRF, docs/security.md B8). Resolved before the case is locked, as DNS may be slow;
 * the publisher checks again, after DNS, when it fetches.
 */
async function checkLinkedFiles(attachments: readonly DraftAttachmentInput[]): Promise<void> {
  for (const [i, a] of attachments.entries()) {
    if (a.attachmentId || !a.url || !isHttpUrl(a.url)) continue;
    const refusal = await resolvedRefusal(new URL(a.url), PUBLIC_ONLY);
    if (refusal) {
      throw CaseException.badInput(
        `attachments[${i}].url must be an address on the public internet (Otklik fetches nothing inside its own network): ${refusal}; or upload the file`,
      );
    }
  }
}
