/** Marks the context of an operation the gateway builds itself (a subscription's entity fetch). */
const OWN_OPERATION = Symbol('otklik.ownOperation');

/**
 * The context of an operation the gateway makes itself: the entity fetch of a batch of
 * subscription events, built from a subscription that was checked when it started. It may be
 * larger than a client's (up to 100 aliased entities), so the shape and cost limits skip it; the
 * deadline still applies. A symbol key survives Apollo's copy of the context (Object.assign).
 */
export function ownOperation<T extends object>(context: T): T {
  return Object.assign(Object.create(Object.getPrototypeOf(context) as object) as T, context, {
    [OWN_OPERATION]: true,
  });
}

export function isOwnOperation(context: unknown): boolean {
  return typeof context === 'object' && context !== null && OWN_OPERATION in context;
}
