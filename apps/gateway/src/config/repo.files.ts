import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Finds a checked-in file by its path from the repository root, looking upwards from this
 * file's folder: the same code runs from `apps/gateway/src` (tests) and from
 * `dist/apps/gateway/apps/gateway/src` (the build), which tsc leaves non-TypeScript files out of.
 */
export function findRepoFile(relativePath: string, from: string = __dirname): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, relativePath);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export const SUPERGRAPH_FILE = 'apps/gateway/supergraph.graphql';
export const SUBSCRIPTIONS_FILE = 'apps/gateway/src/subscriptions/subscriptions.graphql';

/** The composed supergraph; a missing file stops the start with the command that makes it. */
export function readSupergraph(explicitPath?: string): { path: string; sdl: string } {
  const path = explicitPath ?? findRepoFile(SUPERGRAPH_FILE);
  if (!path || !existsSync(path)) {
    throw new Error(
      `the supergraph file ${explicitPath ? `${explicitPath} (SUPERGRAPH_PATH)` : SUPERGRAPH_FILE} does not exist: run \`npm run supergraph\` to compose it from the subgraphs`,
    );
  }
  return { path, sdl: readFileSync(path, 'utf8') };
}

export function readSubscriptionsSdl(): string {
  const path = findRepoFile(SUBSCRIPTIONS_FILE);
  if (!path) throw new Error(`${SUBSCRIPTIONS_FILE} is missing: the gateway needs it for its Subscription type`);
  return readFileSync(path, 'utf8');
}
