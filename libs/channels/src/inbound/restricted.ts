import type { ConnectorSource, InboundVerdict } from './connector';

/** The source setting that turns on a platform restricted in Russia. */
export const RESTRICTED_PLATFORM_SETTING = 'restrictedPlatformAllowed';

/**
 * Facebook, Instagram and X have been restricted in Russia since 2022. Their connectors exist,
 * but a source of theirs answers nothing, handshakes included, until the organisation turns it on
 * with `restrictedPlatformAllowed: true` in the source's settings. The rule lives here, not in
 * intake, so every way into these connectors obeys it. Returns the refusal, or undefined when the
 * source may be served.
 */
export function refuseUnlessTurnedOn(source: ConnectorSource, platformNames: string): InboundVerdict | undefined {
  if (source.settings[RESTRICTED_PLATFORM_SETTING] === true) return undefined;
  return {
    kind: 'REFUSE',
    status: 403,
    reason:
      `${platformNames}: restricted in Russia since 2022, and turned off for this organisation — ` +
      `set ${RESTRICTED_PLATFORM_SETTING}: true in source ${source.id}'s settings to turn it on`,
  };
}
