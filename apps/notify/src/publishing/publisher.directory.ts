import type { Publisher } from '@otklik/channels';
import type { Platform } from '@otklik/contracts';

/** The publishers notify may call, by platform (libs/channels' registry, pointed at the configured API URLs). */
export class PublisherDirectory {
  private readonly byPlatform: ReadonlyMap<Platform, Publisher>;

  constructor(publishers: Iterable<Publisher>) {
    const byPlatform = new Map<Platform, Publisher>();
    for (const publisher of publishers) byPlatform.set(publisher.platform, publisher);
    this.byPlatform = byPlatform;
  }

  find(platform: Platform): Publisher | undefined {
    return this.byPlatform.get(platform);
  }

  /** The source kinds a platform's publisher works with; none when the platform has no publisher. */
  servedKinds(platform: Platform): readonly string[] {
    return this.byPlatform.get(platform)?.sourceKinds ?? [];
  }
}
