import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { OutboundAnswer, OutboundSource, Publisher, PublishOutcome } from '@otklik/channels';
import {
  PublicationCompleted,
  PublicationOutcome,
  PublicationRequestedV1,
  SourceChangedV1,
  sourceCredentialsContext,
} from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { ALL_ORGS, callContext } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { SecretBox, SecretsError } from '@otklik/secrets';
import { PublicationEntity } from './publication.entity';
import { PublicationRepository, PublicationSettlement } from './publication.repository';
import { PublisherDirectory } from './publisher.directory';
import { PublishingSourceEntity } from './publishing-source.entity';
import { afterRetry, LEASE_MS, LEASE_RENEW_MS, manualReason, paceOf, PLATFORM_NAMES } from './publishing.rules';

/** A publication this replica holds: when it may call, through what, with which lease. */
export interface Claim {
  publication: PublicationEntity;
  token: string;
  /** The pace slot reserved for the call: not before this. */
  notBefore: Date;
  source: PublishingSourceEntity;
  publisher: Publisher;
}

/** Who does publishing's system work in the log and the call context. */
const ACTOR = 'publishing';

/**
 * Publishing approved answers (REQUIREMENTS cl. 1, "размещение ответов … их авторам"), exactly
 * once per publication request: the request is stored under its id before any call, every call
 * carries that id as the platform's idempotency key, a replica calls only while it holds the
 * row's lease, and the outcome is recorded (with publication.completed) only by the lease's holder.
 */
@Injectable()
export class PublishingService {
  private readonly logger = new Logger(PublishingService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly publications: PublicationRepository,
    private readonly outbox: EventOutbox,
    private readonly directory: PublisherDirectory,
    private readonly box: SecretBox,
  ) {}

  /**
   * publication.requested: the answer is stored, due now. A redelivered request (same
   * publicationId) adds nothing. Returns whether it was new.
   */
  accept(organizationId: string, request: PublicationRequestedV1, correlationId: string): Promise<boolean> {
    const now = new Date();
    return this.uow.run(() =>
      this.publications.insertNew(
        Object.assign(new PublicationEntity(), {
          id: request.publicationId,
          organizationId,
          organizationPath: request.organizationPath?.length ? request.organizationPath : [organizationId],
          caseId: request.caseId,
          draftId: request.draftId,
          kind: request.kind,
          messageId: request.messageId,
          sourceId: request.sourceId,
          platform: request.platform,
          target: {
            externalId: request.externalId,
            ...(request.threadId ? { threadId: request.threadId } : {}),
            ...(request.url ? { url: request.url } : {}),
            ...(request.authorId ? { authorId: request.authorId } : {}),
          },
          text: request.text,
          attachments: request.attachments.map((a) => ({
            type: a.type,
            url: a.url,
            ...(a.contentType ? { contentType: a.contentType } : {}),
            // Only workflow's own storage is fetched as is; a link an official gave goes through the SSRF guard.
            ...(a.fromStorage === true ? { fromStorage: true } : {}),
          })),
          status: 'PENDING',
          attempts: 0,
          nextAttemptAt: now,
          leaseUntil: null,
          leaseToken: null,
          lastError: null,
          platformError: null,
          externalId: null,
          url: null,
          correlationId,
          requestedAt: now,
          completedAt: null,
        } satisfies PublicationEntity),
      ),
    );
  }

  /** source.changed: kept when newer than what is stored. Returns whether it was written. */
  sourceChanged(event: SourceChangedV1): Promise<boolean> {
    return this.uow.run(() =>
      this.publications.upsertSource(
        Object.assign(new PublishingSourceEntity(), {
          id: event.sourceId,
          organizationId: event.organizationId,
          platform: event.platform,
          kind: event.kind,
          name: event.name,
          enabled: event.enabled,
          settings: event.settings,
          credentialsCiphertext: event.credentialsCiphertext ?? null,
          credentialNames: event.credentialNames,
          version: String(event.version),
          changedAt: new Date(event.changedAt),
        } satisfies PublishingSourceEntity),
      ),
    );
  }

  /**
   * Takes up to `limit` due publications for this replica, in one transaction across every
   * organisation (system work). Those that cannot go through an API are settled MANUAL at once;
   * the others get a pace slot and a lease and are returned for the call.
   */
  claim(limit: number): Promise<Claim[]> {
    return this.system('publishing-claim', () =>
      this.uow.run(async () => {
        const due = await this.publications.lockDue(limit);
        if (due.length === 0) return [];
        const sources = new Map(
          (await this.publications.findSources([...new Set(due.map((p) => p.sourceId))])).map((s) => [s.id, s]),
        );
        const claims: Claim[] = [];
        for (const publication of due) {
          const source = sources.get(publication.sourceId) ?? null;
          const publisher = this.directory.find(publication.platform);
          const manual = manualReason(
            publication.platform,
            publication.sourceId,
            source && {
              name: source.name,
              kind: source.kind,
              enabled: source.enabled,
              hasCredentials: source.credentialsCiphertext !== null,
            },
            this.directory.servedKinds(publication.platform),
          );
          if (manual || !source || !publisher) {
            // A row found SENDING here lost its holder mid-call: it did reach a publisher once, so
            // it is settled through the lease it had; a PENDING row was never leased.
            await this.settle(publication, publication.leaseToken, 'MANUAL', {
              status: 'MANUAL',
              lastError: manual ?? 'нет издателя',
              completedAt: new Date(),
            });
            continue;
          }
          let notBefore = new Date(0);
          for (const { key, intervalMs } of paceOf(
            publication.platform,
            source.id,
            publication.target,
            publication.attachments,
          )) {
            const slot = await this.publications.reserveSlot(key, source.organizationId, intervalMs);
            if (slot > notBefore) notBefore = slot;
          }
          const token = randomUUID();
          const start = Math.max(notBefore.getTime(), Date.now());
          await this.publications.lease(publication.id, token, new Date(start + LEASE_MS));
          claims.push({ publication, token, notBefore, source, publisher });
        }
        return claims;
      }),
    );
  }

  /**
   * Makes the claimed call once its pace slot has come, keeping the lease alive meanwhile, and
   * records the outcome. Never throws: a publisher's unexpected error is a RETRY.
   */
  async publish(claim: Claim): Promise<void> {
    const { publication, token } = claim;
    await this.system(publication.correlationId, async () => {
      const renewal = setInterval(() => void this.renew(publication.id, token), LEASE_RENEW_MS);
      let outcome: PublishOutcome;
      try {
        const wait = claim.notBefore.getTime() - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        outcome = await this.call(claim);
      } finally {
        clearInterval(renewal);
      }
      await this.record(claim, outcome);
    });
  }

  private async call(claim: Claim): Promise<PublishOutcome> {
    const { publication, source, publisher } = claim;
    let credentials: Record<string, string>;
    try {
      credentials = this.openCredentials(source);
    } catch (error) {
      if (!(error instanceof SecretsError) && !(error instanceof SyntaxError)) throw error;
      this.logger.error({
        msg: `source ${source.id}: its credentials do not open: ${error.message}`,
        publicationId: publication.id,
      });
      return {
        outcome: 'FAILED',
        reason:
          `Ключ доступа источника «${source.name}» не удалось расшифровать (настройка OTKLIK_SECRET_KEYS) — ` +
          'сообщите администратору Отклика или опубликуйте ответ вручную',
        platformError: error.message,
      };
    }
    const answer: OutboundAnswer = {
      idempotencyKey: publication.id,
      target: publication.target,
      text: publication.text,
      attachments: publication.attachments,
    };
    const outbound: OutboundSource = {
      id: source.id,
      platform: source.platform,
      settings: source.settings,
      credentials,
    };
    try {
      return await publisher.publish(answer, outbound);
    } catch (error) {
      // A publisher turns every platform answer into an outcome; an exception is our bug, and may pass.
      this.logger.error({
        msg: `publication ${publication.id}: the ${publication.platform} publisher threw: ${(error as Error).message}`,
        publicationId: publication.id,
        err: error,
      });
      return {
        outcome: 'RETRY',
        reason: `внутренняя ошибка Отклика при публикации в ${PLATFORM_NAMES[publication.platform]} — повторим позже`,
      };
    }
  }

  private openCredentials(source: PublishingSourceEntity): Record<string, string> {
    if (!source.credentialsCiphertext) return {};
    const parsed = JSON.parse(
      this.box.open(source.credentialsCiphertext, sourceCredentialsContext(source.id)),
    ) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new SyntaxError('the credentials are not a JSON object');
    }
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  }

  /** Writes what the attempt came to: done (with publication.completed), or due again later. */
  private record(claim: Claim, outcome: PublishOutcome): Promise<void> {
    const { publication, token } = claim;
    const now = new Date();
    return this.uow.run(async () => {
      const attempts = publication.attempts + 1;
      switch (outcome.outcome) {
        case 'PUBLISHED':
          await this.settle(publication, token, 'PUBLISHED', {
            status: 'PUBLISHED',
            externalId: outcome.externalId,
            url: outcome.url ?? null,
            lastError: null,
            completedAt: now,
          });
          return;
        case 'FAILED':
          await this.settle(publication, token, 'FAILED', {
            status: 'FAILED',
            lastError: outcome.reason,
            platformError: outcome.platformError,
            completedAt: now,
          });
          return;
        case 'RETRY': {
          const decision = afterRetry({ attempts, requestedAt: publication.requestedAt }, outcome, now);
          if ('failed' in decision) {
            await this.settle(publication, token, 'FAILED', {
              status: 'FAILED',
              lastError: decision.failed,
              completedAt: now,
            });
          } else {
            const settled = await this.publications.settle(publication.id, token, {
              status: 'PENDING',
              nextAttemptAt: decision.retryAt,
              lastError: outcome.reason,
            });
            if (settled) {
              this.logger.log({
                msg: `publication ${publication.id}: attempt ${attempts} to retry at ${decision.retryAt.toISOString()}: ${outcome.reason}`,
                publicationId: publication.id,
              });
            } else this.lostLease(publication, attempts);
          }
        }
      }
    });
  }

  /** Settles a publication for good and announces it (publication.completed), if the lease is still held. */
  private async settle(
    publication: PublicationEntity,
    token: string | null,
    status: PublicationOutcome,
    settlement: PublicationSettlement,
  ): Promise<void> {
    const settled = await this.publications.settle(publication.id, token, settlement);
    if (!settled) {
      this.lostLease(publication, publication.attempts + 1);
      return;
    }
    const error = status === 'PUBLISHED' ? undefined : (settled.lastError ?? undefined);
    // The request's correlation id, so the webhook, the approval and this outcome read as one story.
    await callContext.run({ correlationId: settled.correlationId, orgScope: ALL_ORGS, actor: ACTOR }, () =>
      this.outbox.add(PublicationCompleted, settled.organizationId, {
        publicationId: settled.id,
        caseId: settled.caseId,
        status,
        ...(settled.url ? { url: settled.url } : {}),
        ...(settled.externalId ? { externalId: settled.externalId } : {}),
        ...(error ? { error: error.slice(0, 4000) } : {}),
        attempts: settled.attempts,
        at: (settled.completedAt ?? new Date()).toISOString(),
        organizationPath: settled.organizationPath,
      }),
    );
    const message = `publication ${settled.id} of case ${settled.caseId}: ${status} after ${settled.attempts} attempt(s)`;
    if (status === 'FAILED') {
      this.logger.warn({
        msg: `${message}: ${error ?? ''}`,
        platformError: settled.platformError,
        publicationId: settled.id,
      });
    } else this.logger.log({ msg: status === 'PUBLISHED' ? `${message}: ${settled.url ?? 'no address'}` : message });
  }

  private lostLease(publication: PublicationEntity, attempt: number): void {
    // Another replica took the row over (this one was too slow to renew): its outcome stands.
    this.logger.warn({
      msg: `publication ${publication.id}: attempt ${attempt} finished after its lease was lost; its outcome is not recorded`,
      publicationId: publication.id,
    });
  }

  private async renew(id: string, token: string): Promise<void> {
    try {
      const held = await this.system('publishing-lease', () =>
        this.uow.run(() => this.publications.renewLease(id, token, new Date(Date.now() + LEASE_MS))),
      );
      if (!held) this.logger.warn({ msg: `publication ${id}: lease lost during the call`, publicationId: id });
    } catch (error) {
      this.logger.warn({ msg: `publication ${id}: lease not renewed: ${(error as Error).message}`, publicationId: id });
    }
  }

  private system<T>(correlationId: string, work: () => Promise<T>): Promise<T> {
    return callContext.run({ correlationId, orgScope: ALL_ORGS, actor: ACTOR }, work);
  }
}
