import type { PersistedQueryOptions } from '@apollo/server';
import { parse } from 'graphql';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/** What a client sends that names its operation: the text, a persisted-query hash, or both. */
export interface OperationRequest {
  query?: unknown;
  extensions?: unknown;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Hex sha256 of an operation's text, as Apollo's persisted queries compute it. */
export const operationHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The allow-list of operations the front-ends were built with (GRAPHQL_PERSISTED_OPERATIONS): when
 * it is set, an operation runs only if the sha256 of its text is in the list, sent either as the
 * text itself or as `extensions.persistedQuery.sha256Hash` alone.
 */
export class PersistedOperations {
  constructor(private readonly byHash: ReadonlyMap<string, string>) {}

  get size(): number {
    return this.byHash.size;
  }

  allows(request: OperationRequest): boolean {
    if (typeof request.query === 'string') return this.byHash.has(operationHash(request.query));
    const hash = persistedHashOf(request.extensions);
    return hash !== undefined && this.byHash.has(hash);
  }

  /**
   * Apollo Server's persisted-query cache answered from the list: a hash-only request finds its
   * text, and nothing a client sends is registered (so the list stays what the file says).
   */
  apolloCache(): NonNullable<PersistedQueryOptions['cache']> {
    return {
      // Apollo prefixes its keys ("apq:<hash>"); the hash is what the list is keyed by.
      get: (key) => Promise.resolve(this.byHash.get(key.slice(key.lastIndexOf(':') + 1))),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(false),
    };
  }
}

export function persistedHashOf(extensions: unknown): string | undefined {
  const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}

/**
 * Reads the allow-list file: a JSON object of sha256 (hex) → operation text. Every entry is
 * checked at start (the hash matches the text, the text parses), so a stale or hand-edited file
 * stops the gateway with the entry named instead of refusing the front-end's operations later.
 */
export function readPersistedOperations(
  path: string,
  setting: string,
): { operations?: PersistedOperations; problems: string[] } {
  const problem = (text: string) => ({ problems: [`${setting}: ${path} ${text}`] });
  if (!existsSync(path)) return problem('does not exist');
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return problem(`is not JSON (${(error as Error).message})`);
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content))
    return problem('must be a JSON object of sha256 → operation text');
  const problems: string[] = [];
  const byHash = new Map<string, string>();
  for (const [hash, text] of Object.entries(content)) {
    if (!SHA256.test(hash)) problems.push(`${setting}: "${hash}" is not a lowercase hex sha256`);
    else if (typeof text !== 'string') problems.push(`${setting}: the entry ${hash} is not an operation text`);
    else if (operationHash(text) !== hash)
      problems.push(`${setting}: the entry ${hash} holds a text whose sha256 is ${operationHash(text)}`);
    else {
      try {
        parse(text);
        byHash.set(hash, text);
      } catch (error) {
        problems.push(`${setting}: the entry ${hash} does not parse (${(error as Error).message})`);
      }
    }
  }
  if (problems.length === 0 && byHash.size === 0) problems.push(`${setting}: ${path} lists no operations`);
  return problems.length > 0 ? { problems } : { operations: new PersistedOperations(byHash), problems };
}
