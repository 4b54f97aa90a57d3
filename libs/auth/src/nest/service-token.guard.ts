import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { SERVICE_HEADER } from '@otklik/contracts';
import { isAuthError } from '../auth.error';
import { verifyServiceToken } from '../internal.token';
import { AUTH_OPTIONS, AuthenticatedRequest, headerValue, SubgraphAuthOptions } from './auth.options';

/** For internal HTTP endpoints (`/internal/...`): only another Otklik service may call. Puts its name on `req.service`. */
@Injectable()
export class ServiceTokenGuard implements CanActivate {
  constructor(@Inject(AUTH_OPTIONS) private readonly options: SubgraphAuthOptions) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = headerValue(req, SERVICE_HEADER);
    if (!token) throw new UnauthorizedException(`missing ${SERVICE_HEADER} header`);
    try {
      req.service = (await verifyServiceToken(token, this.options.internalSecret)).service;
      return true;
    } catch (error) {
      if (isAuthError(error)) throw new UnauthorizedException(error.message);
      throw error;
    }
  }
}
