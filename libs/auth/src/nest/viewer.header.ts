import { VIEWER_HEADER } from '@otklik/contracts';
import { GraphQLError } from 'graphql';
import { authGraphQLError, isAuthError } from '../auth.error';
import { verifyViewerToken } from '../internal.token';
import type { Viewer } from '../viewer.model';

const THROUGH_GATEWAY = 'calls must come through the gateway';

/** Verifies VIEWER_HEADER's token; a missing or bad one is UNAUTHENTICATED (a subgraph cannot be called around the gateway). */
export async function viewerFromHeader(
  token: string | undefined | null,
  internalSecret: string,
  httpStatus?: number,
): Promise<Viewer> {
  if (!token) throw authGraphQLError('UNAUTHENTICATED', `${THROUGH_GATEWAY} (no ${VIEWER_HEADER} header)`, httpStatus);
  try {
    return await verifyViewerToken(token, internalSecret);
  } catch (error) {
    if (isAuthError(error))
      throw authGraphQLError('UNAUTHENTICATED', `${THROUGH_GATEWAY} (${error.message})`, httpStatus);
    throw error instanceof GraphQLError ? error : new Error('viewer token check failed', { cause: error });
  }
}
