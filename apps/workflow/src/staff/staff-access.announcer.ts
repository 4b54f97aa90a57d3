import { Inject, Injectable, Logger } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { openStaffAccessBucket, StaffAccessWriter } from '@otklik/auth';
import { NatsClient } from '@otklik/messaging';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';

/** How long a change waits for NATS when workflow has not connected yet. */
const CONNECT_WAIT_MS = 5000;

/**
 * Tells the gateways that a person's access changed, on the staff access list (NATS KV, bucket
 * `<EVENTS_PREFIX>-staff-access`, made by the gateways). Called after the change is committed:
 * a failure is an error for the caller, never a silent success, and the change can be made
 * again (it is idempotent) to announce it.
 */
@Injectable()
export class StaffAccessAnnouncer {
  private readonly logger = new Logger(StaffAccessAnnouncer.name);
  private readonly writer = new StaffAccessWriter(() => this.bucket());

  constructor(
    private readonly nats: NatsClient,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /** The login's tokens issued at or before `notBefore` are refused by every gateway. */
  revokeTokensOf(login: string, reason: string, notBefore: Date): Promise<void> {
    return this.announce(login, reason, () => this.writer.revokeTokensOf(login, reason, notBefore));
  }

  /** The login's roles changed: gateways drop what they cached of it and re-check its open connections. */
  accessChanged(login: string, reason: string): Promise<void> {
    return this.announce(login, reason, () => this.writer.accessChanged(login, reason));
  }

  private async announce(login: string, reason: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.logger.error(
        `the access change of ${login} (${reason}) is recorded but was not announced to the gateways: ` +
          `until it is, they apply the old access; make the change again: ${(error as Error).message}`,
      );
      throw new Error(`announcing the access change of ${login} on the staff access list failed`, { cause: error });
    }
  }

  private async bucket(): Promise<KV> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`NATS not connected after ${CONNECT_WAIT_MS} ms`)), CONNECT_WAIT_MS);
    });
    try {
      await Promise.race([this.nats.ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
    // Binding only names the bucket: a missing one shows as a failing write.
    return openStaffAccessBucket(this.nats.nc, this.config.eventsPrefix);
  }
}
