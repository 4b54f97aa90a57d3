import { DEVELOPMENT_AUTH, signViewerToken, Viewer } from '@otklik/auth';
import { VIEWER_HEADER } from '@otklik/contracts';

/** A GraphQL response body, with the HTTP status it came with. */
export interface GraphqlAnswer<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * POST /graphql to a subgraph as the gateway sends it for `viewer`: the viewer signed into the
 * viewer header with the development internal secret (no viewer: no header at all).
 */
export async function callSubgraph<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  viewer?: Viewer,
): Promise<GraphqlAnswer<T>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(viewer ? { [VIEWER_HEADER]: await signViewerToken(viewer, DEVELOPMENT_AUTH.internalSecret) } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphqlAnswer<T>, 'status'>;
  return { status: response.status, ...body };
}
