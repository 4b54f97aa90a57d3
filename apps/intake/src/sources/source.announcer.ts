import { Injectable } from '@nestjs/common';
import { SourceChanged, sourceCredentialsContext } from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { UnitOfWork } from '@otklik/persistence';
import { SecretBox } from '@otklik/secrets';
import type { SourceEntity } from './source.entity';
import { SourceSecrets } from './source.secrets';

/**
 * Tells the other services what a source is now (source.changed), in the transaction that changed
 * it: notify publishes answers through it and must not read intake's tables. The credentials are
 * opened from intake's sealing and sealed again for the event's own context (bound to the
 * source), so the bus never carries them in plaintext and a ciphertext cannot be replayed into
 * another source's event.
 */
@Injectable()
export class SourceAnnouncer {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly outbox: EventOutbox,
    private readonly secrets: SourceSecrets,
    private readonly box: SecretBox,
  ) {}

  /** Call with the row as it is after the change, inside the change's transaction (the row locked or just inserted). */
  async announce(row: SourceEntity): Promise<void> {
    const credentials = this.secrets.openCredentials(row);
    const names = Object.keys(credentials).sort();
    await this.outbox.add(SourceChanged, row.organizationId, {
      sourceId: row.id,
      organizationId: row.organizationId,
      platform: row.platform,
      kind: row.kind,
      name: row.name,
      enabled: row.enabled,
      settings: row.settings,
      ...(names.length > 0
        ? {
            credentialsCiphertext: this.box.seal(JSON.stringify(credentials), sourceCredentialsContext(row.id)),
          }
        : {}),
      credentialNames: names,
      version: await this.version(),
      changedAt: new Date().toISOString(),
    });
  }

  /**
   * The database's clock in microseconds, read now rather than at the transaction's start: the
   * source's row is locked (or new), so a later change of it reads a later clock, whichever
   * transaction began first. One clock for every replica, unlike Date.now().
   */
  private async version(): Promise<number> {
    const [row] = await this.uow.manager.query<Array<{ version: string }>>(
      'select (extract(epoch from clock_timestamp()) * 1000000)::bigint::text as version',
    );
    return Number(row.version);
  }
}
