import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SignJWT } from 'jose';
import { DEVELOPMENT_AUTH } from '@otklik/auth';
import { freePort } from './nats-server';

export type AppName = 'gateway' | 'intake' | 'workflow' | 'notify';
const APPS: readonly AppName[] = ['workflow', 'intake', 'notify', 'gateway'];

export interface StackOptions {
  databaseUrl: string;
  natsUrl: string;
  eventsPrefix: string;
  logLevel?: string;
  /** Extra environment for every app. */
  env?: Record<string, string>;
}

export interface Stack {
  urls: Record<AppName, string>;
  graphqlUrl: string;
  websocketUrl: string;
  /** The last lines an app wrote, for failure messages. */
  output(app: AppName): string;
  stop(): Promise<void>;
}

export function repositoryRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/**
 * Starts the four built apps as processes (end-to-end tests and benchmarks), each on a free
 * port, against the given database and events prefix; resolves once every /health answers 200.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const root = repositoryRoot();
  const ports = Object.fromEntries(
    await Promise.all(APPS.map(async (app) => [app, await freePort()] as const)),
  ) as Record<AppName, number>;
  const urls = Object.fromEntries(APPS.map((app) => [app, `http://127.0.0.1:${ports[app]}`])) as Record<
    AppName,
    string
  >;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl,
    NATS_URL: options.natsUrl,
    EVENTS_PREFIX: options.eventsPrefix,
    LOG_LEVEL: options.logLevel ?? 'warn',
    OTKLIK_DEMO_SEED: 'true',
    GATEWAY_PORT: String(ports.gateway),
    INTAKE_PORT: String(ports.intake),
    WORKFLOW_PORT: String(ports.workflow),
    NOTIFY_PORT: String(ports.notify),
    INTAKE_URL: `${urls.intake}/graphql`,
    WORKFLOW_URL: `${urls.workflow}/graphql`,
    NOTIFY_URL: `${urls.notify}/graphql`,
    // Every request of a spec or benchmark comes from 127.0.0.1 as few logins: rate limits far above
    // what they send (the limits themselves are proven by the apps' medium tests). A spec may lower them.
    GATEWAY_RATE_LIMIT_IP: '1000000/60s',
    GATEWAY_RATE_LIMIT_USER: '1000000/60s',
    INTAKE_WEBHOOK_RATE_LIMIT: '1000000/60s',
    INTAKE_WEBHOOK_UNKNOWN_SOURCE_RATE_LIMIT: '1000000/60s',
    ...options.env,
  };
  const children = new Map<AppName, ChildProcess>();
  const outputs = new Map<AppName, string[]>();
  const output = (app: AppName) => (outputs.get(app) ?? []).join('');

  const stop = async () => {
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => (clearTimeout(killer), resolve()));
            child.kill('SIGTERM');
          }),
      ),
    );
  };

  try {
    for (const app of APPS) {
      const main = join(root, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
      if (!existsSync(main)) throw new Error(`${main} is missing: build first (npx nx run-many -t build)`);
      // OTKLIK_APP_NODE_ARGS: flags for the apps' node, e.g. `--cpu-prof` when profiling a benchmark.
      const nodeArgs = (process.env.OTKLIK_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
      const child = spawn(process.execPath, [...nodeArgs, main], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const lines: string[] = [];
      outputs.set(app, lines);
      const keep = (chunk: Buffer) => {
        lines.push(chunk.toString());
        if (lines.length > 200) lines.shift();
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      children.set(app, child);
    }
    await Promise.all(APPS.map((app) => waitHealthy(app, urls[app], children.get(app) as ChildProcess, output)));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    urls,
    graphqlUrl: `${urls.gateway}/graphql`,
    websocketUrl: `ws://127.0.0.1:${ports.gateway}/graphql`,
    output,
    stop,
  };
}

async function waitHealthy(
  app: AppName,
  url: string,
  child: ChildProcess,
  output: (app: AppName) => string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}:\n${output(app)}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${app} was not healthy within 60 s:\n${output(app)}`);
}

/** A development JWT, as `npm run token -- LOGIN` prints it. */
export async function developmentToken(login: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(login)
    .setIssuer(DEVELOPMENT_AUTH.issuer)
    .setAudience(DEVELOPMENT_AUTH.audience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(DEVELOPMENT_AUTH.jwtSecret));
}
