/** NATS and HTTP header names shared by every service. */
export const CORRELATION_HEADER = 'Otklik-Correlation-Id';
/** HTTP header by which the gateway forwards the verified viewer to subgraphs. */
export const VIEWER_HEADER = 'x-otklik-viewer';
/** HTTP header carrying a service-to-service token (gateway → workflow viewer lookup). */
export const SERVICE_HEADER = 'x-otklik-service';
