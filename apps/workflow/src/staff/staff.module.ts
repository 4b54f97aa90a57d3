import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module';
import { StaffAccessAnnouncer } from './staff-access.announcer';
import { StaffAccessResolver } from './staff-access.resolver';
import { StaffAccessService } from './staff-access.service';
import { StaffLoader } from './staff.loader';
import { StaffRepository } from './staff.repository';
import { StaffService } from './staff.service';
import { ViewerController } from './viewer.controller';
import { ViewerResolver, ViewerRoleResolver } from './viewer.resolver';

@Module({
  imports: [OrganizationsModule],
  controllers: [ViewerController],
  providers: [
    StaffRepository,
    StaffService,
    StaffLoader,
    ViewerResolver,
    ViewerRoleResolver,
    StaffAccessAnnouncer,
    StaffAccessService,
    StaffAccessResolver,
  ],
  exports: [StaffService, StaffLoader],
})
export class StaffModule {}
