import { SignJWT, UnsecuredJWT } from 'jose';
import {
  DEVELOPMENT_AUTH,
  GATEWAY_ISSUER,
  SERVICE_AUDIENCE,
  signServiceToken,
  signViewerToken,
  VIEWER_AUDIENCE,
  Viewer,
} from '@otklik/auth';
import { SERVICE_HEADER, VIEWER_HEADER } from '@otklik/contracts';

/*
 * Calls that reach a subgraph around the gateway (docs/security.md, threat model B3, gateway →
 * subgraphs): each carries something that looks like an identity but is not the gateway's signed,
 * short-lived viewer token for the subgraph audience. The specs of intake, workflow and notify run
 * every one of them against the real app and expect UNAUTHENTICATED with no data, and the valid
 * token (validViewerHeaders) to be accepted, so the refusals are not an app that refuses everything.
 */

const encode = (secret: string) => new TextEncoder().encode(secret);
const now = () => Math.floor(Date.now() / 1000);
/** JSON fit for a header (bytes, not text): anything past ASCII as \u escapes, as JSON allows. */
const headerJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A person's JWT as the gateway accepts it in development (`npm run token`): valid, but not for a subgraph. */
export function personToken(login: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(login)
    .setIssuer(DEVELOPMENT_AUTH.issuer)
    .setAudience(DEVELOPMENT_AUTH.audience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(encode(DEVELOPMENT_AUTH.jwtSecret));
}

/** The gateway's viewer token, its claims as given (signed with the development internal secret unless told). */
function viewerToken(
  viewer: Viewer,
  claims: { audience?: string; issuedAt?: number; expiresAt?: number; secret?: string } = {},
): Promise<string> {
  return new SignJWT({ viewer })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(GATEWAY_ISSUER)
    .setAudience(claims.audience ?? VIEWER_AUDIENCE)
    .setSubject(viewer.login)
    .setIssuedAt(claims.issuedAt ?? now())
    .setExpirationTime(claims.expiresAt ?? now() + 60)
    .sign(encode(claims.secret ?? DEVELOPMENT_AUTH.internalSecret));
}

export interface BypassAttempt {
  /** What the caller tries, for the test's name. */
  name: string;
  /** The headers it sends, made up for `viewer`. */
  headers: (viewer: Viewer) => Promise<Record<string, string>>;
}

/** Every way around the gateway the subgraphs must refuse. */
export const GATEWAY_BYPASS_ATTEMPTS: readonly BypassAttempt[] = [
  { name: 'no header at all', headers: () => Promise.resolve({}) },
  {
    name: 'the viewer as JSON in x-viewer',
    headers: (viewer) => Promise.resolve({ 'x-viewer': headerJson(viewer) }),
  },
  {
    name: `the viewer as JSON in ${VIEWER_HEADER} itself`,
    headers: (viewer) => Promise.resolve({ [VIEWER_HEADER]: headerJson(viewer) }),
  },
  {
    name: 'x-user, x-user-id, x-roles, x-organization-id',
    headers: (viewer) =>
      Promise.resolve({
        'x-user': viewer.login,
        'x-user-id': viewer.userId,
        'x-roles': viewer.roles.map((r) => r.role).join(','),
        'x-organization-id': viewer.roles[0]?.organizationId ?? '',
      }),
  },
  {
    name: 'Authorization: Bearer <a valid person JWT>',
    headers: async (viewer) => ({ authorization: `Bearer ${await personToken(viewer.login)}` }),
  },
  {
    name: `a valid person JWT in ${VIEWER_HEADER}`,
    headers: async (viewer) => ({ [VIEWER_HEADER]: await personToken(viewer.login) }),
  },
  {
    name: 'a viewer token signed with another secret',
    headers: async (viewer) => ({
      [VIEWER_HEADER]: await signViewerToken(viewer, 'not-the-internal-secret-0123456789abcdef'),
    }),
  },
  {
    name: 'an expired viewer token (past the clock tolerance)',
    headers: async (viewer) => ({
      [VIEWER_HEADER]: await viewerToken(viewer, { issuedAt: now() - 3600, expiresAt: now() - 60 }),
    }),
  },
  {
    name: 'a viewer token for the service audience',
    headers: async (viewer) => ({ [VIEWER_HEADER]: await viewerToken(viewer, { audience: SERVICE_AUDIENCE }) }),
  },
  {
    name: `a service token in ${VIEWER_HEADER}`,
    headers: async () => ({ [VIEWER_HEADER]: await signServiceToken('gateway', DEVELOPMENT_AUTH.internalSecret) }),
  },
  {
    name: 'an unsigned viewer token (alg none)',
    headers: (viewer) =>
      Promise.resolve({
        [VIEWER_HEADER]: new UnsecuredJWT({ viewer })
          .setIssuer(GATEWAY_ISSUER)
          .setAudience(VIEWER_AUDIENCE)
          .setSubject(viewer.login)
          .setIssuedAt()
          .setExpirationTime('1m')
          .encode(),
      }),
  },
];

/** What the gateway sends: its viewer token for `viewer`, signed with the development internal secret. */
export async function validViewerHeaders(viewer: Viewer): Promise<Record<string, string>> {
  return { [VIEWER_HEADER]: await signViewerToken(viewer, DEVELOPMENT_AUTH.internalSecret) };
}

/** The answer of a GraphQL call, reduced to what a refusal is judged on. */
export interface GraphqlOutcome {
  status: number;
  /** extensions.code of every error, in order. */
  codes: string[];
  /** `data` as answered; absent counts as null. */
  data: Record<string, unknown> | null;
}

/** A GraphQL call to a subgraph's /graphql with exactly these headers: POST with a JSON body, or GET with the query in the URL. */
export async function callGraphqlWith(
  baseUrl: string,
  request: {
    query: string;
    variables?: Record<string, unknown>;
    headers: Record<string, string>;
    method?: 'GET' | 'POST';
  },
): Promise<GraphqlOutcome> {
  const variables = request.variables ?? {};
  const response =
    request.method === 'GET'
      ? await fetch(
          `${baseUrl}/graphql?${new URLSearchParams({ query: request.query, variables: JSON.stringify(variables) }).toString()}`,
          // Apollo's CSRF prevention wants this on a GET; without it the refusal would be for another reason.
          { headers: { 'apollo-require-preflight': 'true', ...request.headers } },
        )
      : await fetch(`${baseUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...request.headers },
          body: JSON.stringify({ query: request.query, variables }),
        });
  const body = (await response.json()) as {
    data?: Record<string, unknown> | null;
    errors?: Array<{ extensions?: { code?: string } }>;
  };
  return {
    status: response.status,
    codes: (body.errors ?? []).map((e) => e.extensions?.code ?? '(no code)'),
    data: body.data ?? null,
  };
}

/** `_entities` as the gateway asks it, for one representation, selecting `selection` on `typename`. */
export const entitiesQuery = (typename: string, selection: string): string =>
  `query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on ${typename} { ${selection} } } }`;

/** A call to an internal HTTP endpoint (`/internal/...`) with exactly these headers: status and JSON body. */
export async function callInternal(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { headers });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/** Every way to call an internal endpoint without a valid service token: each must be 401. */
export const SERVICE_TOKEN_ATTEMPTS: ReadonlyArray<{
  name: string;
  headers: (viewer: Viewer) => Promise<Record<string, string>>;
}> = [
  { name: 'no header at all', headers: () => Promise.resolve({}) },
  {
    name: 'the gateway’s viewer token (the subgraph audience) in the viewer header',
    headers: validViewerHeaders,
  },
  {
    name: `the gateway’s viewer token in ${SERVICE_HEADER}`,
    headers: async (viewer) => ({ [SERVICE_HEADER]: await signViewerToken(viewer, DEVELOPMENT_AUTH.internalSecret) }),
  },
  {
    name: 'Authorization: Bearer <a valid person JWT>',
    headers: async (viewer) => ({ authorization: `Bearer ${await personToken(viewer.login)}` }),
  },
  {
    name: 'a service token signed with another secret',
    headers: async () => ({
      [SERVICE_HEADER]: await signServiceToken('gateway', 'not-the-internal-secret-0123456789abcdef'),
    }),
  },
  {
    name: 'an expired service token',
    headers: async () => ({
      [SERVICE_HEADER]: await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setAudience(SERVICE_AUDIENCE)
        .setSubject('gateway')
        .setIssuedAt(now() - 3600)
        .setExpirationTime(now() - 60)
        .sign(encode(DEVELOPMENT_AUTH.internalSecret)),
    }),
  },
  {
    name: `a service name as plain text in ${SERVICE_HEADER}`,
    headers: () => Promise.resolve({ [SERVICE_HEADER]: 'gateway' }),
  },
];

/** What another Otklik service sends to an internal endpoint: a service token. */
export async function validServiceHeaders(service = 'gateway'): Promise<Record<string, string>> {
  return { [SERVICE_HEADER]: await signServiceToken(service, DEVELOPMENT_AUTH.internalSecret) };
}
