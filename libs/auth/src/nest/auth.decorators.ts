import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@otklik/contracts';
import { authGraphQLError } from '../auth.error';
import type { Viewer } from '../viewer.model';
import { requestOf } from './graphql.call';

export const ROLES_KEY = 'otklik:roles';
export const ANY_VIEWER_KEY = 'otklik:any-viewer';

/** The viewer must hold at least one of these roles (in any organisation). On a method or a resolver class. */
export function Roles(...roles: Role[]): MethodDecorator & ClassDecorator {
  if (roles.length === 0)
    throw new Error('@Roles() needs at least one role; use @AnyViewer() to open a resolver to every viewer');
  return SetMetadata(ROLES_KEY, roles);
}

/** Any authenticated viewer may call it (the data it returns is still filtered by tenancy). */
export function AnyViewer(): MethodDecorator & ClassDecorator {
  return SetMetadata(ANY_VIEWER_KEY, true);
}

/** The verified Viewer of this call (put on the request by SubgraphGuard). */
export const CurrentViewer = createParamDecorator((_data: unknown, context: ExecutionContext): Viewer => {
  const viewer = requestOf(context)?.viewer;
  if (!viewer) throw authGraphQLError('UNAUTHENTICATED', 'no verified viewer on this call');
  return viewer;
});
