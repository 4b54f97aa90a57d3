import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConsumerHost } from './consumer.host';
import { EventOutbox } from './event.outbox';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsClient } from './nats.client';
import { OutboxRelay } from './outbox.relay';

@Injectable()
export class MessagingHealth {
  constructor(private readonly nats: NatsClient) {}

  async check(): Promise<{ ok: boolean; error?: string }> {
    return (await this.nats.ping()) ? { ok: true } : { ok: false, error: 'NATS not reachable' };
  }
}

/** Starts the relay and consumers after the app is up; stops them before NATS is drained. */
@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly nats: NatsClient,
    private readonly relay: OutboxRelay,
    private readonly consumers: ConsumerHost,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.connect) return;
    this.nats.start();
    this.relay.start();
    this.consumers.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumers.stop();
    await this.relay.stop();
    await this.nats.close();
  }
}

/** JetStream connection, transactional outbox and idempotent consumers for one service. */
@Global()
@Module({})
export class MessagingModule {
  static forService(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: NatsClient,
          useFactory: () =>
            new NatsClient(
              options.natsUrl,
              options.eventsPrefix,
              options.logger,
              `otklik-${options.service}`,
              options.natsSecurity,
            ),
        },
        EventOutbox,
        OutboxRelay,
        ConsumerHost,
        MessagingHealth,
        MessagingLifecycle,
      ],
      exports: [NatsClient, EventOutbox, MessagingHealth],
    };
  }
}
