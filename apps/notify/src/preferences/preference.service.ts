import { Injectable } from '@nestjs/common';
import type { Viewer } from '@otklik/auth';
import { UnitOfWork } from '@otklik/persistence';
import { PreferenceEntity } from './preference.entity';
import { PreferenceException } from './preference.exception';
import { PreferenceRepository } from './preference.repository';
import {
  Channel,
  CHANNELS,
  EffectivePreference,
  effectivePreferences,
  isChangeable,
  PREFERENCE_KINDS,
  PreferenceChoice,
} from './preference.rules';

/** Each user's choice, per kind of notification and channel, of what reaches them where. */
@Injectable()
export class PreferenceService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly preferences: PreferenceRepository,
  ) {}

  /** The viewer's whole matrix, defaults included. */
  listFor(viewer: Viewer): Promise<EffectivePreference[]> {
    return this.uow.run(async () => effectivePreferences(toChoices(await this.preferences.choicesOf([viewer.userId]))));
  }

  /** Sets one cell of the viewer's matrix; returns it as it now stands. */
  set(
    viewer: Viewer,
    kind: string,
    channel: Channel,
    enabled: boolean,
    now = new Date(),
  ): Promise<EffectivePreference> {
    if (!PREFERENCE_KINDS.includes(kind)) {
      throw new PreferenceException(
        `kind: "${kind}" is not a kind of notification; one of ${PREFERENCE_KINDS.join(', ')}`,
        {
          argument: 'kind',
        },
      );
    }
    if (!CHANNELS.includes(channel)) {
      throw new PreferenceException(`channel: "${String(channel)}" is not a channel; one of ${CHANNELS.join(', ')}`, {
        argument: 'channel',
      });
    }
    if (!isChangeable(channel)) {
      throw new PreferenceException(
        'channel: in-app notifications are the record of what you were told and stay on; e-mail and Telegram can be switched',
        { argument: 'channel' },
      );
    }
    return this.uow.run(async () => {
      await this.preferences.save(
        Object.assign(new PreferenceEntity(), { userId: viewer.userId, kind, channel, enabled, updatedAt: now }),
      );
      return { kind, channel, enabled, chosen: true, changeable: true };
    });
  }

  /** The choices of each of these users (in the caller's transaction): for the deliveries of a notification. */
  async choicesOf(userIds: readonly string[]): Promise<Map<string, PreferenceChoice[]>> {
    const byUser = new Map<string, PreferenceChoice[]>();
    for (const row of await this.uow.run(() => this.preferences.choicesOf(userIds))) {
      byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), ...toChoices([row])]);
    }
    return byUser;
  }
}

function toChoices(rows: readonly PreferenceEntity[]): PreferenceChoice[] {
  return rows.flatMap((r) =>
    (CHANNELS as readonly string[]).includes(r.channel)
      ? [{ kind: r.kind, channel: r.channel as Channel, enabled: r.enabled }]
      : [],
  );
}
