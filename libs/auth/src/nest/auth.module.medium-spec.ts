import 'reflect-metadata';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { Controller, Get, INestApplication, Module, Req, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Directive, Field, GraphQLModule, ID, ObjectType, Query, ResolveReference, Resolver } from '@nestjs/graphql';
import { SERVICE_HEADER, VIEWER_HEADER } from '@otklik/contracts';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signServiceToken, signViewerToken } from '../internal.token';
import type { Viewer } from '../viewer.model';
import { AnyViewer, CurrentViewer, Roles } from './auth.decorators';
import { AuthModule } from './auth.module';
import type { AuthenticatedRequest } from './auth.options';
import { ServiceTokenGuard } from './service-token.guard';

// Medium: AuthModule in a real NestJS federation subgraph (no database needed), over HTTP.
const SECRET = 'internal-secret-for-the-module-test-0123';
const official: Viewer = {
  userId: 'u1',
  login: 'official',
  displayName: 'Official',
  roles: [{ organizationId: 'o1', role: 'OFFICIAL' }],
  visibleOrganizationIds: ['o1'],
};

@ObjectType()
@Directive('@key(fields: "id")')
class Thing {
  @Field(() => ID) id: string;
  @Field() owner: string;
}

@Resolver(() => Thing)
class ThingResolver {
  @Query(() => Thing)
  @AnyViewer()
  mine(@CurrentViewer() viewer: Viewer): Thing {
    return { id: '1', owner: viewer.login };
  }

  @Query(() => String)
  @Roles('HEAD')
  headsOnly(): string {
    return 'for heads';
  }

  @Query(() => String)
  forgotten(): string {
    return 'should never be seen';
  }

  @ResolveReference()
  reference(ref: { id: string }): Thing {
    return { id: ref.id, owner: 'reference' };
  }
}

@Controller()
class PlainController {
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('internal/ping')
  @UseGuards(ServiceTokenGuard)
  ping(@Req() req: AuthenticatedRequest) {
    return { service: req.service };
  }
}

@Module({
  imports: [
    AuthModule.forSubgraph({ internalSecret: SECRET }),
    GraphQLModule.forRoot<ApolloFederationDriverConfig>({
      driver: ApolloFederationDriver,
      autoSchemaFile: { federation: 2 },
    }),
  ],
  providers: [ThingResolver],
  controllers: [PlainController],
})
class SubgraphModule {}

describe('AuthModule.forSubgraph in a NestJS federation subgraph', () => {
  let app: INestApplication;
  let base: string;
  let viewerToken: string;

  beforeAll(async () => {
    app = await NestFactory.create(SubgraphModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
    viewerToken = await signViewerToken(official, SECRET);
  });
  afterAll(() => app?.close());

  const gql = async (query: string, headers: Record<string, string> = {}, variables?: object) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: Record<string, unknown> | null;
        errors?: Array<{ message: string; extensions?: { code?: string } }>;
      },
    };
  };

  it('a viewer from the gateway reaches an @AnyViewer resolver, which sees it through @CurrentViewer', async () => {
    const { body } = await gql('{ mine { owner } }', { [VIEWER_HEADER]: viewerToken });
    expect(body).toEqual({ data: { mine: { owner: 'official' } } });
  });

  it('without the viewer header: UNAUTHENTICATED, "calls must come through the gateway"', async () => {
    const { status, body } = await gql('{ mine { owner } }');
    expect(status).toBe(401);
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/calls must come through the gateway/),
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('@Roles: FORBIDDEN without one of the roles, as a field error (HTTP 200, so the gateway keeps the message)', async () => {
    const { status, body } = await gql('{ headsOnly }', { [VIEWER_HEADER]: viewerToken });
    expect(status).toBe(200);
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('a resolver with neither @Roles nor @AnyViewer is refused: FORBIDDEN', async () => {
    const { body } = await gql('{ forgotten }', { [VIEWER_HEADER]: viewerToken });
    expect(body.data).toBeNull();
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('federation: _service is open to schema tooling; _entities needs the viewer', async () => {
    const service = await gql('{ _service { sdl } }');
    expect(service.body.data?._service).toEqual({ sdl: expect.stringContaining('type Thing') });
    const entities = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Thing { owner } } }';
    const variables = { r: [{ __typename: 'Thing', id: '7' }] };
    expect((await gql(entities, {}, variables)).body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await gql(entities, { [VIEWER_HEADER]: viewerToken }, variables)).body).toEqual({
      data: { _entities: [{ owner: 'reference' }] },
    });
  });

  it('leaves plain HTTP alone, and ServiceTokenGuard guards internal endpoints', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/internal/ping`)).status).toBe(401);
    const ping = await fetch(`${base}/internal/ping`, {
      headers: { [SERVICE_HEADER]: await signServiceToken('gateway', SECRET) },
    });
    await expect(ping.json()).resolves.toEqual({ service: 'gateway' });
  });
});
