import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { MessagingHealth } from '@otklik/messaging';
import { DatabaseHealth } from '@otklik/persistence';

/** CONTRACT: 200 once the database and NATS answer (migrations ran before the pool opened), 503 otherwise. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly messaging: MessagingHealth,
  ) {}

  @Get()
  async health(@Res() res: Response): Promise<void> {
    const [database, nats] = await Promise.all([this.database.check(), this.messaging.check()]);
    const ok = database.ok && nats.ok;
    res
      .status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: ok ? 'ok' : 'unavailable', database, nats });
  }
}
