import { UnauthorizedException } from '@nestjs/common';
import { SERVICE_HEADER } from '@otklik/contracts';
import { signServiceToken } from '../internal.token';
import { httpExecutionContext } from './auth.testing';
import { ServiceTokenGuard } from './service-token.guard';

const SECRET = 'internal-secret-for-guard-tests-0123';
class InternalController {
  viewer() {}
}

describe('ServiceTokenGuard (internal HTTP endpoints)', () => {
  const guard = new ServiceTokenGuard({ internalSecret: SECRET });
  const call = (headers: Record<string, string>) =>
    httpExecutionContext(InternalController, InternalController.prototype.viewer, headers);

  it('lets a service with a valid token in and names it on the request', async () => {
    const { context, req } = call({ [SERVICE_HEADER]: await signServiceToken('gateway', SECRET) });
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(req.service).toBe('gateway');
  });

  it('answers 401 without a token or with a bad one', async () => {
    await expect(guard.canActivate(call({}).context)).rejects.toBeInstanceOf(UnauthorizedException);
    const forged = call({ [SERVICE_HEADER]: await signServiceToken('gateway', 'other-secret-0000000000000') });
    await expect(guard.canActivate(forged.context)).rejects.toThrow(/bad signature/);
  });
});
