import { Module } from '@nestjs/common';
import { StaffModule } from '../staff/staff.module';
import { DeadlineLoader } from './deadline.loader';
import { DeadlineRepository } from './deadline.repository';
import { DeadlineResolver } from './deadline.resolver';
import { DeadlineService } from './deadline.service';

@Module({
  imports: [StaffModule],
  providers: [DeadlineRepository, DeadlineService, DeadlineLoader, DeadlineResolver],
  exports: [DeadlineService, DeadlineLoader],
})
export class DeadlinesModule {}
