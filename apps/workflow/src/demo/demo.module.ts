import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module';
import { StaffModule } from '../staff/staff.module';
import { DemoSeedRepository } from './demo-seed.repository';
import { DemoSeed } from './demo.seed';

@Module({
  imports: [OrganizationsModule, StaffModule],
  providers: [DemoSeedRepository, DemoSeed],
})
export class DemoModule {}
