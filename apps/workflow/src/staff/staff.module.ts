import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module';
import { StaffLoader } from './staff.loader';
import { StaffRepository } from './staff.repository';
import { StaffService } from './staff.service';
import { ViewerController } from './viewer.controller';
import { ViewerResolver, ViewerRoleResolver } from './viewer.resolver';

@Module({
  imports: [OrganizationsModule],
  controllers: [ViewerController],
  providers: [StaffRepository, StaffService, StaffLoader, ViewerResolver, ViewerRoleResolver],
  exports: [StaffService, StaffLoader],
})
export class StaffModule {}
