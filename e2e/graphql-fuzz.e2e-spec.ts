import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { fuzzSettings, Stack } from '@otklik/testing';
import { garbage, GraphqlRequest, operationOn, rootFields, supergraphSchema } from './support/graphql-arbitraries';
import { E2eStack, startE2eStack } from './support/stack';

// End to end, a fuzz run (issue 7, "In CI"): the four apps as processes in production mode
// (NODE_ENV=production: errors masked, introspection off), signed in as the district's
// COORDINATOR. fast-check sends, for every Query and Mutation root field of the checked-in
// supergraph, operations whose arguments are generated from their types — right and wrong types,
// nulls for non-null, huge and unicode strings, deep input objects, large lists, unknown enum
// values, negative and huge page sizes — as variables and as literals; then documents and bodies
// that are not GraphQL at all. Whatever it sends:
//   - the HTTP status is never 5xx, but for the documented 504 TIMEOUT;
//   - the answer is JSON, and every error in it carries its extensions.code;
//   - a refusal is the client's error, never INTERNAL_SERVER_ERROR (a 500 under another name);
//   - no message shows a stack, SQL or an internal name;
//   - every app still answers afterwards.
// The real subgraphs are needed (arguments reach their resolvers, repositories and PostgreSQL),
// so this is an e2e spec, not a medium one. A failure prints fast-check's seed and path; replay
// with FUZZ_SEED=… FUZZ_PATH=… (libs/testing/src/fuzz.ts), run longer with FUZZ_RUNS=….

const AUTH = { AUTH_ISSUER: 'otklik-fuzz', AUTH_AUDIENCE: 'otklik' };
/** GRAPHQL_MAX_BODY_BYTES's default: a larger body is refused (413) as it arrives. */
const MAX_BODY_BYTES = 1024 * 1024;
const JWT_SECRET = randomBytes(32).toString('hex');

const settings = fuzzSettings({ numRuns: 600, timeMs: 30_000 });
const garbageSettings = fuzzSettings({ numRuns: 300, timeMs: 10_000 });

/** What would tell an attacker how the inside looks: stack frames, SQL and driver errors, our paths and hosts. */
const LEAKS: RegExp[] = [
  /\n\s+at [^\n]+:\d+:\d+/,
  /stacktrace/i,
  /node_modules|\/work\/|\/apps\/|dist\//,
  /QueryFailedError|EntityNotFound|TypeORMError/,
  /syntax error at or near|invalid input syntax for|violates (foreign key|unique|check|not-null)|duplicate key value|relation "|column "/,
  /ECONNREFUSED|ECONNRESET|127\.0\.0\.1|localhost:\d+/,
];

interface GraphqlError {
  message?: unknown;
  extensions?: { code?: unknown };
}

describe('GraphQL fuzz through the gateway, in production mode: no 5xx, every refusal coded, nothing internal shown', () => {
  const schema = supergraphSchema();
  let e2e: E2eStack | undefined;
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    e2e = await startE2eStack('graphql_fuzz', {
      NODE_ENV: 'production',
      INTERNAL_AUTH_SECRET: randomBytes(32).toString('hex'),
      AUTH_JWT_SECRET: JWT_SECRET,
      ...AUTH,
      OTKLIK_SECRET_KEYS: `fuzz:${randomBytes(32).toString('base64')}`,
      // The application roles' own logins (PostgreSQL trusts local connections here: any password will do).
      APP_DATABASE_PASSWORD: randomBytes(16).toString('hex'),
      ATTACHMENTS_PUBLIC_URL: 'https://otklik.example',
      // The fuzz is one user at one address sending as fast as it can; the limits are tested elsewhere.
      GATEWAY_RATE_LIMIT_IP: '1000000/60s',
      GATEWAY_RATE_LIMIT_USER: '1000000/60s',
    });
    stack = e2e.stack;
    token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('coordinator')
      .setIssuer(AUTH.AUTH_ISSUER)
      .setAudience(AUTH.AUTH_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(JWT_SECRET));
    // Signed in, or every answer would be the same 401 and the fuzz would prove nothing.
    await expectStillServing();
  }, 120_000);

  afterAll(async () => {
    await e2e?.stop();
  });

  /** The answer; null when the gateway refused a body over its limit before reading it (the socket then closes under the sender). */
  const send = async (request: GraphqlRequest): Promise<{ status: number; text: string } | null> => {
    const body = request.raw?.text ?? JSON.stringify(request.body);
    try {
      const response = await fetch(stack.graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': request.raw?.contentType ?? 'application/json',
          authorization: `Bearer ${token}`,
        },
        body,
      });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      if (Buffer.byteLength(body) > MAX_BODY_BYTES) return null;
      throw error;
    }
  };

  /** What the apps logged about one request (the reason behind a masked error). */
  const loggedWith = (correlationId: string) =>
    Object.keys(stack.urls)
      .flatMap((app) => stack.output(app as keyof Stack['urls']).split('\n'))
      .filter((line) => line.includes(correlationId))
      .map((line) => line.slice(0, 1500))
      .join('\n');

  /** The properties every answer has, whatever was asked. */
  const expectWellFormed = (answer: { status: number; text: string } | null) => {
    if (answer === null) return;
    const { status, text } = answer;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`the answer (${status}) is not JSON: ${text.slice(0, 300)}`);
    }
    const answers = (Array.isArray(body) ? body : [body]) as Array<{ errors?: GraphqlError[] }>;
    const errors = answers.flatMap((a) => a?.errors ?? []);
    const codes = errors.map((e) => e.extensions?.code);
    if (status >= 500 && !(status === 504 && codes.includes('TIMEOUT'))) {
      throw new Error(`HTTP ${status}: ${text.slice(0, 500)}`);
    }
    if (status !== 200 && errors.length === 0) throw new Error(`HTTP ${status} without errors: ${text.slice(0, 300)}`);
    const uncoded = errors.find((e) => typeof e.extensions?.code !== 'string');
    if (uncoded) throw new Error(`an error without extensions.code: ${JSON.stringify(uncoded).slice(0, 300)}`);
    const internal = errors.find((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');
    if (internal) {
      throw new Error(
        `INTERNAL_SERVER_ERROR (an unexpected failure, masked): ${text.slice(0, 500)}\n` +
          `logged with its correlation id:\n${loggedWith(String((internal.extensions as { correlationId?: unknown }).correlationId))}`,
      );
    }
    const leak = LEAKS.find((pattern) => pattern.test(text));
    if (leak) throw new Error(`the answer shows ${leak}: ${text.slice(0, 500)}`);
  };

  /** The gateway still serves the coordinator, and every app is healthy. */
  const expectStillServing = async () => {
    const me = await send({ body: { query: '{ me { login } }' }, [fc.toStringMethod]: () => 'me' });
    expect([me?.status, JSON.parse(me?.text ?? 'null')]).toEqual([200, { data: { me: { login: 'coordinator' } } }]);
    for (const [app, url] of Object.entries(stack.urls)) {
      const health = await fetch(`${url}/health`);
      expect([app, health.status]).toEqual([app, 200]);
    }
  };

  it(
    'every Query and Mutation root field, with arguments generated from their types, as variables and as literals',
    async () => {
      // signOut takes nothing to fuzz and would end the fuzz's own session (its token refused from then on).
      const fields = rootFields(schema).filter((f) => f.field.name !== 'signOut');
      let answeredWithData = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof(...fields.map(operationOn)), async (request) => {
          const answer = await send(request);
          expectWellFormed(answer);
          if (answer?.status === 200 && /^\{"data":\{/.test(answer.text)) answeredWithData++;
        }),
        settings.parameters,
      );
      // Some of what was sent reached the resolvers, not only the gateway's refusals (a replay runs one case).
      if (!settings.replaying) expect(answeredWithData).toBeGreaterThan(0);
      await expectStillServing();
    },
    settings.jestTimeoutMs,
  );

  it(
    'documents and bodies that are not GraphQL: random text, token soups, odd bodies, batches, other content types',
    async () => {
      await fc.assert(
        fc.asyncProperty(garbage(schema), async (request) => expectWellFormed(await send(request))),
        garbageSettings.parameters,
      );
      await expectStillServing();
    },
    garbageSettings.jestTimeoutMs,
  );
});
