import type { ExecutionContext } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthenticatedRequest } from './auth.options';

type Handler = (...args: never[]) => unknown;
type Class = new (...args: never[]) => unknown;

/** A GraphQL ExecutionContext as Nest builds it for a resolver: args (root, args, { req }, info). */
export function graphqlExecutionContext(
  type: Class,
  handler: Handler,
  call: { fieldName: string; parentType?: string; root?: boolean; headers?: IncomingHttpHeaders },
): { context: ExecutionContext; req: AuthenticatedRequest } {
  const req: AuthenticatedRequest = { headers: call.headers ?? {} };
  const root = call.root ?? true;
  const info = {
    fieldName: call.fieldName,
    parentType: { name: call.parentType ?? 'Query' },
    path: root
      ? { prev: undefined, key: call.fieldName }
      : { prev: { prev: undefined, key: 'case' }, key: call.fieldName },
  };
  return { context: fakeContext('graphql', [{}, {}, { req }, info], type, handler, req), req };
}

export function httpExecutionContext(
  type: Class,
  handler: Handler,
  headers: IncomingHttpHeaders,
): { context: ExecutionContext; req: AuthenticatedRequest } {
  const req: AuthenticatedRequest = { headers };
  return { context: fakeContext('http', [req, {}, () => undefined], type, handler, req), req };
}

function fakeContext(
  kind: string,
  args: unknown[],
  type: Class,
  handler: Handler,
  req: AuthenticatedRequest,
): ExecutionContext {
  const context = {
    getType: () => kind,
    getArgs: () => args,
    getArgByIndex: (i: number) => args[i],
    getClass: () => type,
    getHandler: () => handler,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({}), getNext: () => undefined }),
    switchToRpc: () => {
      throw new Error('not rpc');
    },
    switchToWs: () => {
      throw new Error('not ws');
    },
  };
  return context as unknown as ExecutionContext;
}
