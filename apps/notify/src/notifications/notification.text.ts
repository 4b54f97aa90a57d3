/**
 * CaseOpened does not carry the organisation's time zone yet; Step 2 adds it. Until then every
 * due time is shown in the demo district's zone, the only one it has (CONTRACT.md, "Demo data").
 */
export const FALLBACK_TIME_ZONE = 'Asia/Barnaul';

export const NotificationKind = {
  CASE_OPENED: 'CASE_OPENED',
} as const;
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: '2-digit',
      month: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** "28.11 17:00": day, month and wall-clock time in the given IANA time zone. */
export function formatDayTime(at: Date, timeZone: string): string {
  const parts = formatIn(timeZone).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')}.${part('month')} ${part('hour')}:${part('minute')}`;
}

/** What an official is told when a case is opened in their organisation: route it (cl. 5) before it is due. */
export function caseOpenedText(routeDueAt: Date, timeZone: string): string {
  return `Новое обращение: обнаружено критическое сообщение, направьте его до ${formatDayTime(routeDueAt, timeZone)}`;
}
