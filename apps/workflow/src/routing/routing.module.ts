import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module';
import { RoutingCorrections } from './routing-corrections.service';
import { RoutingModelCache } from './routing-model.cache';
import { RoutingLoader } from './routing.loader';
import { RoutingRepository } from './routing.repository';
import { RoutingResolver } from './routing.resolver';
import { RoutingService } from './routing.service';
import { RoutingTrainer } from './routing.trainer';

/** Topic and routing suggestions; cases record their routing decisions through RoutingCorrections. */
@Module({
  imports: [OrganizationsModule],
  providers: [
    RoutingRepository,
    RoutingModelCache,
    RoutingTrainer,
    RoutingService,
    RoutingCorrections,
    RoutingLoader,
    RoutingResolver,
  ],
  exports: [RoutingCorrections],
})
export class RoutingModule {}
