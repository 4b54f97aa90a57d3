import { Inject, Injectable } from '@nestjs/common';
import { headers } from '@nats-io/nats-core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CORRELATION_HEADER } from '@otklik/contracts';
import { quoteIdent } from '@otklik/persistence';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsClient } from './nats.client';
import { outboxChannel } from './outbox.tables';

const BATCH = 500;
const POLL_MS = 1000;

interface OutboxRow {
  id: string;
  subject: string;
  envelope: unknown;
  correlation_id: string;
}

/**
 * Publishes outbox rows to JetStream with Nats-Msg-Id = event id, then deletes them. Any replica
 * may run it: rows are claimed with FOR UPDATE SKIP LOCKED. If NATS is down the rows stay and the
 * relay retries with back-off; a crash between publish and delete republishes, and JetStream drops
 * the duplicate inside its de-duplication window.
 */
@Injectable()
export class OutboxRelay {
  private stopped = false;
  private listener?: Client;
  private readonly sleepers = new Set<() => void>();
  private loop?: Promise<void>;
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly nats: NatsClient,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {
    this.table = `${quoteIdent(options.schema)}.outbox`;
  }

  start(): void {
    void this.listen();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeAll();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
  }

  private async run(): Promise<void> {
    const log = this.options.logger;
    let failures = 0;
    while (!this.stopped) {
      await Promise.race([this.nats.ready, this.sleep(POLL_MS)]);
      if (!this.nats.isConnected) {
        await this.sleep(POLL_MS);
        continue;
      }
      try {
        const published = await this.relayBatch();
        if (failures > 0) log.info({ after: failures }, 'outbox relay recovered');
        failures = 0;
        if (published < BATCH) await this.sleep(POLL_MS);
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 20 === 0) {
          log.warn({ failures, err: (error as Error).message }, 'outbox relay could not publish; will retry');
        }
        await this.sleep(Math.min(100 * 2 ** Math.min(failures, 8), 10_000));
      }
    }
  }

  /** One transaction: claim a batch, publish it, delete what was acknowledged. */
  async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<OutboxRow[]>(
        `select id, subject, envelope, correlation_id from ${this.table} order by created_at limit $1 for update skip locked`,
        [BATCH],
      );
      if (rows.length === 0) return 0;
      const js = this.nats.jetstream;
      await Promise.all(
        rows.map((row) => {
          const h = headers();
          h.set(CORRELATION_HEADER, row.correlation_id);
          return js.publish(row.subject, JSON.stringify(row.envelope), { msgID: row.id, headers: h, timeout: 5000 });
        }),
      );
      await manager.query(`delete from ${this.table} where id = any($1::uuid[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /** Sleeps until the timeout or the next committed outbox row, whichever comes first. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  private async listen(): Promise<void> {
    while (!this.stopped) {
      const client = new Client({
        connectionString: this.options.databaseUrl,
        connectionTimeoutMillis: 5000,
      });
      try {
        await client.connect();
        this.listener = client;
        client.on('notification', () => this.wakeAll());
        await client.query(`listen ${quoteIdent(outboxChannel(this.options.schema))}`);
        await new Promise<void>((resolve) => {
          client.once('error', () => resolve());
          client.once('end', () => resolve());
        });
      } catch {
        // The poll keeps the relay going meanwhile; try to listen again shortly.
      }
      await client.end().catch(() => undefined);
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
