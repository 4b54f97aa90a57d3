import { Module } from '@nestjs/common';
import { OrganizationLoader } from './organization.loader';
import { OrganizationRepository } from './organization.repository';
import { OrganizationResolver } from './organization.resolver';
import { OrganizationService } from './organization.service';
import { OrganizationTree } from './organization.tree';

@Module({
  providers: [OrganizationRepository, OrganizationService, OrganizationTree, OrganizationLoader, OrganizationResolver],
  exports: [OrganizationService, OrganizationTree, OrganizationLoader],
})
export class OrganizationsModule {}
