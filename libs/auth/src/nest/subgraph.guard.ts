import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role, VIEWER_HEADER } from '@otklik/contracts';
import { authGraphQLError } from '../auth.error';
import { hasRole, Viewer } from '../viewer.model';
import { ANY_VIEWER_KEY, ROLES_KEY } from './auth.decorators';
import { AUTH_OPTIONS, AuthenticatedRequest, headerValue, SubgraphAuthOptions } from './auth.options';
import { graphqlCall } from './graphql.call';
import { viewerFromHeader } from './viewer.header';

/** Federation's own root fields: `_service` serves schema tooling; `_entities` is the gateway fetching entities. */
const SERVICE_FIELD = '_service';
const ENTITIES_FIELD = '_entities';

/**
 * Global guard of a subgraph (registered by AuthModule.forSubgraph). GraphQL only: HTTP
 * controllers (webhooks, /health, /internal) are left to their own guards.
 *
 * Denies by default (STYLE.md §10): a query, mutation or subscription runs only when it
 * carries @Roles(...) or @AnyViewer(); field and reference resolvers (reached only
 * through an authorised root field or the gateway's `_entities`) need a viewer only.
 */
@Injectable()
export class SubgraphGuard implements CanActivate {
  private readonly logger = new Logger(SubgraphGuard.name);

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: SubgraphAuthOptions,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const { req, info } = graphqlCall(context);
    const isRootField = info !== undefined && info.path.prev === undefined;
    if (isRootField && info.fieldName === SERVICE_FIELD) return true;

    const viewer = await this.viewerOf(req);
    if (info !== undefined && (!isRootField || info.fieldName === ENTITIES_FIELD)) return true;

    const handler = context.getHandler();
    const target = [handler, context.getClass()];
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, target);
    const anyViewer = this.reflector.getAllAndOverride<boolean | undefined>(ANY_VIEWER_KEY, target);
    if (anyViewer) return true;
    if (roles && roles.length > 0) {
      if (roles.some((role) => hasRole(viewer, role))) return true;
      throw authGraphQLError('FORBIDDEN', `needs one of the roles ${roles.join(', ')}`);
    }
    const name = `${context.getClass().name}.${handler.name}`;
    this.logger.error(
      `${info ? `${info.parentType.name}.${info.fieldName}` : name} (${name}) has neither @Roles nor @AnyViewer: refused`,
    );
    throw authGraphQLError('FORBIDDEN', `${info?.fieldName ?? handler.name} is not open to anyone yet`);
  }

  private async viewerOf(req: AuthenticatedRequest | undefined): Promise<Viewer> {
    if (req?.viewer) return req.viewer;
    const viewer = await viewerFromHeader(
      req ? headerValue(req, VIEWER_HEADER) : undefined,
      this.options.internalSecret,
    );
    if (req) req.viewer = viewer;
    return viewer;
  }
}
