import type { Viewer } from '@otklik/auth';

/**
 * The verified viewer of a GraphQL request, from its context (SubgraphGuard put it on the
 * request before any resolver ran), for loaders that only get the context.
 */
export function viewerInContext(context: object): Viewer {
  const viewer = (context as { req?: { viewer?: Viewer } }).req?.viewer;
  // The guard runs before every resolver: a missing viewer is a wiring bug, not a client's error.
  if (!viewer) throw new Error('no verified viewer in the GraphQL context');
  return viewer;
}
