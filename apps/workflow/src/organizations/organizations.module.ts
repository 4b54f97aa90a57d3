import { Module } from '@nestjs/common';
import { OrganizationLoader } from './organization.loader';
import { OrganizationRepository } from './organization.repository';
import { OrganizationResolver } from './organization.resolver';
import { OrganizationService } from './organization.service';

@Module({
  providers: [OrganizationRepository, OrganizationService, OrganizationLoader, OrganizationResolver],
  exports: [OrganizationService, OrganizationLoader],
})
export class OrganizationsModule {}
