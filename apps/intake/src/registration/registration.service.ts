import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Viewer } from '@otklik/auth';
import { PLATFORMS, Platform } from '@otklik/contracts';
import { UnitOfWork } from '@otklik/persistence';
import { AppError } from '@otklik/service-kit';
import { AcceptedMessage, MessageService } from '../messages/message.service';
import { SourceRepository } from '../sources/source.repository';

/** A message an official saw anywhere (cl. 2), as they register it. */
export interface Registration {
  organizationId: string;
  platform: Platform;
  text: string;
  url?: string | null;
  postedAt?: Date | null;
  authorName?: string | null;
  authorUrl?: string | null;
  screenshotUrl?: string | null;
}

export const MAX_REGISTERED_TEXT = 20_000;
/** A posting time this far ahead of the clock is a mistake, not a clock skew. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const badInput = (message: string) => new AppError('BAD_USER_INPUT', message);

function httpUrl(field: string, value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw badInput(`${field} is not an address: "${trimmed.slice(0, 100)}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput(`${field} must be an http(s) address`);
  if (trimmed.length > 2000) throw badInput(`${field} is longer than 2,000 characters`);
  return url.toString();
}

/** The source of an organisation's hand-registered messages: one, made on first use. */
export const manualSourceId = (organizationId: string): string => `manual-${organizationId.toLowerCase()}`;

/**
 * Manual registration (cl. 2): an official registers a message seen anywhere, with its link and
 * a screenshot. It goes the way every message goes — stored once, screened, announced — through
 * the organisation's MANUAL source. The same link registered twice is one message.
 */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sources: SourceRepository,
    private readonly messages: MessageService,
  ) {}

  register(viewer: Viewer, input: Registration): Promise<AcceptedMessage> {
    if (!UUID.test(input.organizationId) || !viewer.visibleOrganizationIds.includes(input.organizationId)) {
      throw new AppError('NOT_FOUND', `organisation ${input.organizationId} is not among those you may see`);
    }
    if (!(PLATFORMS as readonly string[]).includes(input.platform)) {
      throw badInput(`platform must be one of ${PLATFORMS.join(', ')}`);
    }
    const text = input.text.trim();
    if (text === '') throw badInput('text is required: the message as its author wrote it');
    if (text.length > MAX_REGISTERED_TEXT) {
      throw badInput(`text is ${text.length} characters; at most ${MAX_REGISTERED_TEXT}`);
    }
    const url = httpUrl('url', input.url);
    const screenshot = httpUrl('screenshotUrl', input.screenshotUrl);
    const authorUrl = httpUrl('authorUrl', input.authorUrl);
    const postedAt = input.postedAt ?? new Date();
    if (postedAt.getTime() > Date.now() + FUTURE_TOLERANCE_MS) {
      throw badInput(`postedAt ${postedAt.toISOString()} is in the future`);
    }
    const author =
      input.authorName?.trim() || authorUrl
        ? { name: input.authorName?.trim() || undefined, url: authorUrl }
        : undefined;
    return this.uow.run(async () => {
      const sourceId = manualSourceId(input.organizationId);
      await this.sources.insertMissing([
        {
          id: sourceId,
          organizationId: input.organizationId,
          platform: 'OTHER',
          kind: 'MANUAL',
          name: 'Registered by hand',
          // No webhook takes a MANUAL source; the secret only satisfies the column.
          secret: randomBytes(32).toString('hex'),
          requireTimestamp: false,
          settings: {},
          enabled: true,
        },
      ]);
      return this.messages.accept({
        organizationId: input.organizationId,
        sourceId,
        // One message per link: registering the same link again finds the stored one.
        externalId: url ? `link:${createHash('sha256').update(url).digest('hex')}` : `hand:${randomUUID()}`,
        platform: input.platform,
        url,
        text,
        postedAt,
        author,
        attachments: screenshot ? [{ type: 'PHOTO', url: screenshot }] : [],
        raw: { registeredBy: viewer.login, registeredAt: new Date().toISOString() },
        // Registered because it needs an answer: a case opens whatever criticality reads in it.
        criticalAsDecidedBy: `registered by ${viewer.login}`,
      });
    });
  }
}
