import { Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { VIEWER_HEADER } from '@otklik/contracts';
import { GraphQLError } from 'graphql';
import { signViewerToken } from '../internal.token';
import { Viewer } from '../viewer.model';
import { AnyViewer, Roles } from './auth.decorators';
import { graphqlExecutionContext, httpExecutionContext } from './auth.testing';
import { SubgraphGuard } from './subgraph.guard';

const SECRET = 'internal-secret-for-guard-tests-0123';
const official: Viewer = {
  userId: 'u-official',
  login: 'official',
  displayName: 'Official',
  roles: [{ organizationId: 'kalmansky', role: 'OFFICIAL' }],
  visibleOrganizationIds: ['kalmansky'],
};

class CaseResolver {
  @Roles('COORDINATOR', 'OFFICIAL') routeCase() {}
  @Roles('HEAD') approveDraft() {}
  @AnyViewer() me() {}
  forgotten() {}
  reference() {}
}

@Roles('EXECUTOR')
class DraftResolver {
  submitDraft() {}
  @AnyViewer() drafts() {}
}

class HealthController {
  health() {}
}

describe('SubgraphGuard (guarded by default, STYLE.md §10)', () => {
  const guard = new SubgraphGuard({ internalSecret: SECRET }, new Reflector());
  let headers: Record<string, string>;
  beforeAll(async () => {
    headers = { [VIEWER_HEADER]: await signViewerToken(official, SECRET) };
  });

  const refusal = async (promise: Promise<boolean>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GraphQLError);
    return error as GraphQLError;
  };

  it('lets a viewer with one of the @Roles in, and puts the viewer on the request', async () => {
    const { context, req } = graphqlExecutionContext(CaseResolver, CaseResolver.prototype.routeCase, {
      fieldName: 'routeCase',
      parentType: 'Mutation',
      headers,
    });
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(req.viewer).toEqual(official);
  });

  it('refuses a viewer without any of the @Roles: FORBIDDEN', async () => {
    const { context } = graphqlExecutionContext(CaseResolver, CaseResolver.prototype.approveDraft, {
      fieldName: 'approveDraft',
      headers,
    });
    const error = await refusal(guard.canActivate(context));
    expect(error.extensions.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/HEAD/);
    // A field error keeps the subgraph's answer 200, so the gateway passes the message on.
    expect(error.extensions.http).toBeUndefined();
  });

  it('lets any viewer into @AnyViewer resolvers; a method rule overrides the class rule', async () => {
    for (const [type, handler, fieldName] of [
      [CaseResolver, CaseResolver.prototype.me, 'me'],
      [DraftResolver, DraftResolver.prototype.drafts, 'drafts'],
    ] as const) {
      await expect(
        guard.canActivate(graphqlExecutionContext(type, handler, { fieldName, headers }).context),
      ).resolves.toBe(true);
    }
  });

  it('applies a class-level @Roles to its methods', async () => {
    const { context } = graphqlExecutionContext(DraftResolver, DraftResolver.prototype.submitDraft, {
      fieldName: 'submitDraft',
      headers,
    });
    expect((await refusal(guard.canActivate(context))).extensions.code).toBe('FORBIDDEN');
  });

  it('refuses a resolver with neither @Roles nor @AnyViewer, and says which in the log', async () => {
    const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { context } = graphqlExecutionContext(CaseResolver, CaseResolver.prototype.forgotten, {
      fieldName: 'forgotten',
      headers,
    });
    expect((await refusal(guard.canActivate(context))).extensions.code).toBe('FORBIDDEN');
    expect(log).toHaveBeenCalledWith(expect.stringContaining('Query.forgotten (CaseResolver.forgotten)'));
    log.mockRestore();
  });

  it('refuses a call without the viewer header: UNAUTHENTICATED, "through the gateway"', async () => {
    const { context } = graphqlExecutionContext(CaseResolver, CaseResolver.prototype.me, { fieldName: 'me' });
    const error = await refusal(guard.canActivate(context));
    expect(error.extensions.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/calls must come through the gateway/);
  });

  it('refuses a forged viewer header: UNAUTHENTICATED', async () => {
    const forged = { [VIEWER_HEADER]: await signViewerToken(official, 'someone-elses-secret-000000') };
    const { context } = graphqlExecutionContext(CaseResolver, CaseResolver.prototype.me, {
      fieldName: 'me',
      headers: forged,
    });
    expect((await refusal(guard.canActivate(context))).extensions.code).toBe('UNAUTHENTICATED');
  });

  it('federation: _service needs no viewer; _entities needs one but no decorator', async () => {
    const service = graphqlExecutionContext(CaseResolver, CaseResolver.prototype.reference, { fieldName: '_service' });
    await expect(guard.canActivate(service.context)).resolves.toBe(true);
    const anonymous = graphqlExecutionContext(CaseResolver, CaseResolver.prototype.reference, {
      fieldName: '_entities',
    });
    expect((await refusal(guard.canActivate(anonymous.context))).extensions.code).toBe('UNAUTHENTICATED');
    const viaGateway = graphqlExecutionContext(CaseResolver, CaseResolver.prototype.reference, {
      fieldName: '_entities',
      headers,
    });
    await expect(guard.canActivate(viaGateway.context)).resolves.toBe(true);
  });

  it('field resolvers (when guards run on them) need a viewer only', async () => {
    const { context } = graphqlExecutionContext(CaseResolver, CaseResolver.prototype.forgotten, {
      fieldName: 'organization',
      parentType: 'Case',
      root: false,
      headers,
    });
    await expect(guard.canActivate(context)).resolves.toBe(true);
  });

  it('leaves plain HTTP (webhooks, /health, /internal) alone', async () => {
    const { context } = httpExecutionContext(HealthController, HealthController.prototype.health, {});
    await expect(guard.canActivate(context)).resolves.toBe(true);
  });
});
