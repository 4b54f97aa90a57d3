import type { ConnectorSource } from '@otklik/channels';
import { SourceEntity } from './source.entity';

/** Every secret of a source valid at `now`: the current one first. */
export function validSecrets(source: SourceEntity, _now: Date): string[] {
  return [source.secret];
}

/** The source as a platform connector sees it. */
export function toConnectorSource(source: SourceEntity, now: Date): ConnectorSource {
  return {
    id: source.id,
    platform: source.platform,
    secrets: validSecrets(source, now),
    settings: source.settings,
    credentials: {},
  };
}
