import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource, ServiceEndpointDefinition } from '@apollo/gateway';
import { CORRELATION_HEADER, VIEWER_HEADER } from '@otklik/contracts';
import type { GatewayContext } from '../auth/auth.context';
import { withOperationSignal } from '../limits/operation.deadline';

/** Every operation sent to a subgraph carries the signed viewer and the correlation id. */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0]) {
    // Node's own fetch (undici) rather than Apollo's default (make-fetch-happen): it honours the
    // subgraph's `Keep-Alive: timeout=` and drops an idle connection before the subgraph does,
    // where the default agent keeps it until the subgraph closes it — and a request sent on it
    // at that moment fails with "socket hang up" (seen under the access matrix's load).
    super({ fetcher: nodeFetch, ...config });
    // An operation past its deadline stops waiting for its subgraphs too (limits/operation.deadline.ts).
    this.fetcher = withOperationSignal(this.fetcher);
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Health checks and schema loads carry no client operation (the request-kind enum is not exported).
    if (!('incomingRequestContext' in options)) return;
    const headers = options.request.http?.headers;
    if (!headers) return;
    headers.set(VIEWER_HEADER, await options.context.viewerToken());
    headers.set(CORRELATION_HEADER, options.context.correlationId);
  }
}

/** `buildService` for ApolloGateway: subgraph names from the supergraph → our configured URLs. */
export function subgraphServices(urls: Readonly<Record<string, string>>) {
  return ({ name }: ServiceEndpointDefinition): SubgraphDataSource => {
    const url = urls[name];
    if (!url)
      throw new Error(
        `the supergraph names subgraph "${name}", which the gateway has no URL for (known: ${Object.keys(urls).join(', ')})`,
      );
    return new SubgraphDataSource({ url });
  };
}

/**
 * Node's fetch, whose network failures say only "fetch failed": the reason (ECONNREFUSED, a
 * reset) is in `cause`, which the log of a masked error would not show. Named in the message.
 */
const nodeFetch = (async (url: string, init?: RequestInit) => {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
    if (!cause || (error as Error).name === 'AbortError') throw error;
    const reason = [cause.code, cause.message].filter(Boolean).join(' ');
    throw new Error(`${(error as Error).message}: ${reason}`, { cause });
  }
}) as unknown as RemoteGraphQLDataSource['fetcher'];
