import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AUTH_OPTIONS, SubgraphAuthOptions } from './auth.options';
import { ResolverAudit } from './resolver.audit';
import { ServiceTokenGuard } from './service-token.guard';
import { SubgraphAuthPlugin } from './subgraph-auth.plugin';
import { SubgraphGuard } from './subgraph.guard';

@Module({})
export class AuthModule {
  /**
   * For a subgraph: every GraphQL call must carry the gateway's viewer token and every root
   * resolver must say who may call it (@Roles / @AnyViewer). Global, so ServiceTokenGuard can
   * be used in any module's controllers.
   */
  static forSubgraph(options: SubgraphAuthOptions): DynamicModule {
    if (!options.internalSecret)
      throw new Error('AuthModule.forSubgraph: internalSecret (INTERNAL_AUTH_SECRET) is required');
    return {
      module: AuthModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: AUTH_OPTIONS, useValue: options },
        { provide: APP_GUARD, useClass: SubgraphGuard },
        SubgraphAuthPlugin,
        ServiceTokenGuard,
        ResolverAudit,
      ],
      exports: [AUTH_OPTIONS, ServiceTokenGuard],
    };
  }
}
