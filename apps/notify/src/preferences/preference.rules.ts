import { NotificationKind } from '../notifications/notification.text';

/** Where a notification reaches its person: the feed (always), e-mail, the staff Telegram bot. */
export const CHANNELS = ['IN_APP', 'EMAIL', 'TELEGRAM'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The channels a delivery is queued for; IN_APP is delivered as the notification is written. */
export const OUTBOUND_CHANNELS = ['EMAIL', 'TELEGRAM'] as const satisfies readonly Channel[];
export type OutboundChannel = (typeof OUTBOUND_CHANNELS)[number];

/**
 * A failed publication's notification (publishing, Step 5) is written by the publishing pipeline;
 * its kind is named here too, so that a user can set their preference before the first one comes.
 */
export const PUBLICATION_FAILED = 'PUBLICATION_FAILED';

/** Every kind a user can set a preference for: each kind notify writes. */
export const PREFERENCE_KINDS: readonly string[] = [
  ...new Set<string>([...Object.values(NotificationKind), PUBLICATION_FAILED]),
];

/**
 * What goes beyond the feed unless the user says otherwise: what needs them now or cannot wait
 * for them to open the app (a deadline about to pass or passed, a threat, an answer that did not
 * go out, a case handed to them). The rest stays in the feed.
 */
const OUTBOUND_BY_DEFAULT: ReadonlySet<string> = new Set([
  NotificationKind.DEADLINE_AT_RISK,
  NotificationKind.DEADLINE_BREACHED,
  NotificationKind.CASE_THREAT,
  NotificationKind.CASE_ASSIGNED,
  PUBLICATION_FAILED,
]);

/** Whether a kind reaches a channel when the user has not chosen. */
export function enabledByDefault(kind: string, channel: Channel): boolean {
  return channel === 'IN_APP' || OUTBOUND_BY_DEFAULT.has(kind);
}

/**
 * The feed is the record of what a person was told (and what the other channels point back
 * to), so it cannot be switched off; only e-mail and Telegram can.
 */
export function isChangeable(channel: Channel): boolean {
  return channel !== 'IN_APP';
}

/** One choice a user made. */
export interface PreferenceChoice {
  kind: string;
  channel: Channel;
  enabled: boolean;
}

/** One cell of a user's matrix of kinds × channels, as it stands. */
export interface EffectivePreference extends PreferenceChoice {
  /** False while the default holds. */
  chosen: boolean;
  changeable: boolean;
}

/** The user's whole matrix: every kind × channel, their choices over the defaults. */
export function effectivePreferences(choices: readonly PreferenceChoice[]): EffectivePreference[] {
  const chosen = new Map(choices.map((c) => [`${c.kind}/${c.channel}`, c.enabled]));
  return PREFERENCE_KINDS.flatMap((kind) =>
    CHANNELS.map((channel) => {
      const choice = isChangeable(channel) ? chosen.get(`${kind}/${channel}`) : undefined;
      return {
        kind,
        channel,
        enabled: choice ?? enabledByDefault(kind, channel),
        chosen: choice !== undefined,
        changeable: isChangeable(channel),
      };
    }),
  );
}

/** Whether one kind reaches one channel for a user with these choices. */
export function isEnabled(kind: string, channel: Channel, choices: readonly PreferenceChoice[]): boolean {
  if (!isChangeable(channel)) return true;
  return choices.find((c) => c.kind === kind && c.channel === channel)?.enabled ?? enabledByDefault(kind, channel);
}
