import { Inject, Injectable, SetMetadata } from '@nestjs/common';
import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequestContextDidResolveOperation,
  GraphQLRequestListener,
} from '@apollo/server';
import { VIEWER_HEADER } from '@otklik/contracts';
import { Kind } from 'graphql';
import { AUTH_OPTIONS, AuthenticatedRequest, SubgraphAuthOptions } from './auth.options';
import { viewerFromHeader } from './viewer.header';

/** @nestjs/apollo's PLUGIN_METADATA: its drivers register every provider carrying it (what its @Plugin() sets). */
export const APOLLO_PLUGIN_METADATA = 'graphql:plugin';

/** Root fields that may be asked without a viewer: schema tooling and the gateway's health check. */
const OPEN_ROOT_FIELDS = new Set(['_service', '__typename']);

/**
 * Checks VIEWER_HEADER once per operation, before any resolver runs. Nest runs guards on
 * root resolvers only (unless `fieldResolverEnhancers` says otherwise), so without this
 * the gateway's `_entities` fetches would pass unchecked.
 */
@Injectable()
@SetMetadata(APOLLO_PLUGIN_METADATA, true)
export class SubgraphAuthPlugin implements ApolloServerPlugin<BaseContext> {
  constructor(@Inject(AUTH_OPTIONS) private readonly options: SubgraphAuthOptions) {}

  requestDidStart(): Promise<GraphQLRequestListener<BaseContext>> {
    return Promise.resolve({
      didResolveOperation: async (requestContext: GraphQLRequestContextDidResolveOperation<BaseContext>) => {
        const selections = requestContext.operation?.selectionSet.selections ?? [];
        if (
          selections.length > 0 &&
          selections.every((s) => s.kind === Kind.FIELD && OPEN_ROOT_FIELDS.has(s.name.value))
        )
          return;
        // The whole request fails here, so it is a 401 (the gateway itself always sends the header).
        const viewer = await viewerFromHeader(
          requestContext.request.http?.headers.get(VIEWER_HEADER),
          this.options.internalSecret,
          401,
        );
        const req = (requestContext.contextValue as { req?: AuthenticatedRequest }).req;
        if (req) req.viewer = viewer;
      },
    });
  }
}
