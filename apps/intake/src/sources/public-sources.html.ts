import type { Platform } from '@otklik/contracts';
import type { PublicSource } from './source-registry.service';

/** How the official site names each platform (its readers are Russian-speaking citizens). */
export const PLATFORM_TITLES: Readonly<Record<Platform, string>> = {
  VK: 'ВКонтакте',
  OK: 'Одноклассники',
  TELEGRAM: 'Telegram',
  MAX: 'MAX',
  FACEBOOK: 'Facebook',
  TWITTER: 'X (Twitter)',
  INSTAGRAM: 'Instagram',
  WEBSITE: 'Сайт',
  EMAIL: 'Электронная почта',
  OTHER: 'Другое',
};

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text and attribute values alike: every character that could end either is replaced. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]);
}

/**
 * The block an official site embeds (cl. 3): a list of links, no script and no style, classes to
 * style it by. URLs are http(s) only (checked when stored and again when listed).
 */
export function renderPublicSources(sources: readonly PublicSource[]): string {
  const items = sources.map(
    (s) =>
      `  <li class="otklik-source otklik-source--${s.platform.toLowerCase()}">` +
      `<a href="${escapeHtml(s.url)}" rel="noopener noreferrer" target="_blank">${escapeHtml(s.name)}</a> ` +
      `<span class="otklik-source__platform">${escapeHtml(PLATFORM_TITLES[s.platform])}</span></li>`,
  );
  return ['<ul class="otklik-sources">', ...items, '</ul>', ''].join('\n');
}
