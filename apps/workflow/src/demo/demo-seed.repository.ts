import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';

@Injectable()
export class DemoSeedRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Held until the seeding transaction ends: replicas starting together seed one after the other. */
  async lock(): Promise<void> {
    await this.uow.manager.query('select pg_advisory_xact_lock(hashtext($1))', ['otklik-workflow-demo-seed']);
  }
}
