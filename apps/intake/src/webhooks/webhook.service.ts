import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { callContext, newCorrelationId, orgsScope } from '@otklik/observability';
import { isDatabaseUnavailable } from '@otklik/persistence';
import { APP_LOGGER } from '../app.logger';
import { AcceptedMessage, MessageService } from '../messages/message.service';
import { Source, validSecrets } from '../sources/source.secrets';
import { SourceService } from '../sources/source.service';
import { checkGenericMessage, GenericMessageDto } from './generic-message.dto';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';
import { SignedRequest, verifySignature } from './signature';
import { MessageStoreUnavailable, WebhookException } from './webhook.exception';

export interface GenericWebhookCall extends SignedRequest {
  sourceId: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The generic webhook (CONTRACT.md): checks in the contract's order — the source (404), the
 * signature and its freshness (401), the JSON (400), the message (400) — then stores the
 * message once and announces it. The body-size limit (413) is enforced before any of this.
 */
@Injectable()
export class WebhookService {
  constructor(
    private readonly sources: SourceService,
    private readonly messages: MessageService,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  async acceptGeneric(call: GenericWebhookCall): Promise<AcceptedMessage> {
    try {
      return await this.checkAndStore(call);
    } catch (error) {
      // One line per refusal, so an operator can tell a misconfigured sender from an outage.
      if (error instanceof WebhookException) {
        this.logger.info(
          { sourceId: call.sourceId.slice(0, 100), code: error.code, reason: error.message },
          'webhook refused',
        );
      } else if (error instanceof MessageStoreUnavailable) {
        this.logger.warn(
          { sourceId: call.sourceId.slice(0, 100), err: (error.cause as Error | undefined)?.message },
          'webhook deferred: database unreachable',
        );
      }
      throw error;
    }
  }

  private async checkAndStore(call: GenericWebhookCall): Promise<AcceptedMessage> {
    const source = await this.genericSource(call.sourceId);
    const now = new Date();
    // The current secret, and the previous one during a rotation's overlap; the current one's verdict is told.
    const checks = validSecrets(source, now).map((secret) =>
      verifySignature(call, { secret, requireTimestamp: source.requireTimestamp, now }),
    );
    const signature = checks.find((c) => c.ok) ?? checks[0] ?? { ok: false, reason: 'the source has no secret' };
    if (!signature.ok) throw WebhookException.unauthenticated(signature.reason);
    if (nestsDeeperThan(call.body)) {
      throw WebhookException.invalidMessage([
        `body: must not nest arrays and objects over ${MAX_JSON_DEPTH} levels deep`,
      ]);
    }
    const body = parseJson(call.body);
    const checked = checkGenericMessage(body);
    if (!checked.ok) throw WebhookException.invalidMessage(checked.problems);
    const accepted = await this.store(source, checked.message, body);
    this.logger.info(
      { ...accepted, sourceId: source.id },
      accepted.duplicate ? 'webhook message was a duplicate' : 'webhook message accepted',
    );
    return accepted;
  }

  /** The source of a generic webhook, or why there is none (404), or 503 when the database is away. */
  async genericSource(sourceId: string): Promise<Source> {
    const source = await unlessDatabaseDown(() => this.sources.findForWebhook(sourceId));
    if (!source) throw WebhookException.unknownSource(sourceId);
    if (!source.enabled) throw WebhookException.disabledSource(sourceId);
    if (source.kind !== 'GENERIC_WEBHOOK') throw WebhookException.notGeneric(sourceId, source.kind);
    return source;
  }

  /** Stored in the source organisation's scope: a webhook may write only where its source belongs. */
  private store(source: Source, message: GenericMessageDto, raw: unknown): Promise<AcceptedMessage> {
    const correlationId = callContext.correlationId() ?? newCorrelationId();
    return callContext.run(
      { correlationId, orgScope: orgsScope([source.organizationId]), actor: `source:${source.id}` },
      () =>
        unlessDatabaseDown(() =>
          this.messages.accept({
            organizationId: source.organizationId,
            sourceId: source.id,
            externalId: message.externalId,
            platform: message.platform ?? source.platform,
            url: message.url,
            text: message.text,
            postedAt: new Date(message.postedAt),
            author: message.author,
            threadId: message.threadId,
            attachments: message.attachments ?? [],
            raw,
          }),
        ),
    );
  }
}

function parseJson(body: Uint8Array): unknown {
  if (body.length === 0) throw WebhookException.malformedJson('the body is empty');
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw WebhookException.malformedJson('the body is not UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw WebhookException.malformedJson((error as Error).message);
  }
}

async function unlessDatabaseDown<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw isDatabaseUnavailable(error) ? new MessageStoreUnavailable(error) : error;
  }
}
