import type { InboundConnector } from './connector';
import { metaConnector } from './meta';
import { okConnector } from './ok';
import { telegramConnector } from './telegram';
import { maxConnector } from './max';
import { xConnector } from './x';
import { vkConnector } from './vk';

export * from './connector';
export * from './secrets';
export * from './restricted';
export { okConnector, OK_SECRET_PARAMETER } from './ok';
export { telegramConnector, TELEGRAM_SECRET_HEADER, TELEGRAM_FILE_PREFIX } from './telegram';
export { maxConnector, MAX_SECRET_HEADER } from './max';
export { metaConnector, META_SIGNATURE_HEADER } from './meta';
export { xConnector, xSignature, X_SIGNATURE_HEADER } from './x';
export { vkConnector, VK_READ_EVENT_TYPES } from './vk';

/** Every platform webhook intake serves, by path segment. One line per connector. */
export const INBOUND_CONNECTORS: readonly InboundConnector[] = [
  okConnector,
  metaConnector,
  xConnector,
  telegramConnector,
  maxConnector,
  vkConnector,
];

export function connectorFor(path: string): InboundConnector | undefined {
  return INBOUND_CONNECTORS.find((c) => c.path === path);
}
