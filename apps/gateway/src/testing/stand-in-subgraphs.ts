import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { expressMiddleware } from '@as-integrations/express5';
import { DevelopmentAuth, verifyViewerToken, Viewer } from '@otklik/auth';
import { VIEWER_HEADER } from '@otklik/contracts';
import express from 'express';
import { parse } from 'graphql';
import { SignJWT } from 'jose';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Stand-in workflow and notify subgraphs for the gateway's medium tests: real Apollo subgraph
// servers over HTTP that trust the gateway's signed viewer header, composed into a supergraph file.

/** A small workflow subgraph: the viewer, and cases with their organisation. */
export const WORKFLOW_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  scalar DateTime
  enum CaseStatus { DETECTED ROUTED }
  type Organization { id: ID! code: String! }
  type Case @key(fields: "id") { id: ID! status: CaseStatus! organization: Organization! }
  type Viewer { login: String! }
  type Query { me: Viewer!  case(id: ID!): Case }
`;

/** A small notify subgraph: notifications that point at workflow's cases. */
export const NOTIFY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  scalar DateTime
  type Case @key(fields: "id", resolvable: false) { id: ID! }
  type Notification @key(fields: "id") { id: ID! kind: String! text: String! createdAt: DateTime! case: Case }
  type Query { notification(id: ID!): Notification }
`;

export interface StandInDefinition {
  sdl: string;
  /** Resolver maps of @apollo/subgraph are loosely typed by design. */
  resolvers: Record<string, unknown>;
  /** More of the resolvers' context than `{ viewer }` (called once a request, after the viewer is verified). */
  context?: (viewer: Viewer, req: express.Request, res: express.Response) => Record<string, unknown>;
  /** Routes served beside /graphql (e.g. workflow's viewer lookup). */
  routes?: (app: express.Express) => void;
}

export interface StandInSubgraph {
  url: string;
  stop(): Promise<void>;
}

export interface StandInSubgraphs {
  workflow: StandInSubgraph;
  notify: StandInSubgraph;
  /** A temporary folder holding `supergraph.graphql`; the test may put more files there. */
  dir: string;
  /** The gateway settings that point at the stand-ins and their supergraph. */
  env: { WORKFLOW_URL: string; NOTIFY_URL: string; SUPERGRAPH_PATH: string };
  stop(): Promise<void>;
}

async function startStandIn(definition: StandInDefinition, internalSecret: string): Promise<StandInSubgraph> {
  const apollo = new ApolloServer<Record<string, unknown>>({
    schema: buildSubgraphSchema({ typeDefs: parse(definition.sdl), resolvers: definition.resolvers as never }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const app = express();
  definition.routes?.(app);
  app.use(
    '/graphql',
    express.json(),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const viewer = await verifyViewerToken(String(req.headers[VIEWER_HEADER]), internalSecret);
        return { viewer, ...definition.context?.(viewer, req, res) };
      },
    }),
  );
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    stop: async () => {
      await apollo.stop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Starts stand-in workflow and notify subgraphs (trusting viewer headers signed with `internalSecret`)
 * and writes their composed supergraph into a fresh temporary folder named after `dirPrefix`.
 */
export async function startStandInSubgraphs(options: {
  internalSecret: string;
  dirPrefix: string;
  workflow: StandInDefinition;
  notify: StandInDefinition;
}): Promise<StandInSubgraphs> {
  const started: StandInSubgraph[] = [];
  let dir: string | undefined;
  const stop = async () => {
    await Promise.all(started.map((subgraph) => subgraph.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const workflow = await startStandIn(options.workflow, options.internalSecret);
    started.push(workflow);
    const notify = await startStandIn(options.notify, options.internalSecret);
    started.push(notify);
    const composed = composeServices([
      { name: 'workflow', url: workflow.url, typeDefs: parse(options.workflow.sdl) },
      { name: 'notify', url: notify.url, typeDefs: parse(options.notify.sdl) },
    ]);
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    dir = mkdtempSync(join(tmpdir(), options.dirPrefix));
    const supergraphPath = join(dir, 'supergraph.graphql');
    writeFileSync(supergraphPath, composed.supergraphSdl);
    return {
      workflow,
      notify,
      dir,
      env: { WORKFLOW_URL: workflow.url, NOTIFY_URL: notify.url, SUPERGRAPH_PATH: supergraphPath },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A user's HS256 access token, as the gateway accepts in its shared-secret JWT mode. */
export const hs256Token = (login: string, auth: Pick<DevelopmentAuth, 'jwtSecret' | 'issuer' | 'audience'>) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(login)
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(auth.jwtSecret));
