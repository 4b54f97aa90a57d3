import type { InboundConnector } from './connector';

export * from './connector';
export * from './secrets';

/** Every platform webhook intake serves, by path segment. One line per connector. */
export const INBOUND_CONNECTORS: readonly InboundConnector[] = [];

export function connectorFor(path: string): InboundConnector | undefined {
  return INBOUND_CONNECTORS.find((c) => c.path === path);
}
