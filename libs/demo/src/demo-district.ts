import type { Platform, Role } from '@otklik/contracts';

/**
 * The demo district of CONTRACT.md ("Demo data"), seeded by `npm start` into an empty
 * database and by the tests. Ids are fixed so that each service can seed its own part
 * (workflow: organisations and staff; intake: sources) without asking the others.
 */
export interface DemoOrganization {
  id: string;
  code: string;
  name: string;
  kind: 'DISTRICT' | 'SUBDIVISION' | 'SELSOVET';
  parentCode?: string;
  timeZone: string;
}

export interface DemoUser {
  id: string;
  login: string;
  displayName: string;
  email: string;
  roles: Array<{ organizationCode: string; role: Role; orderNumber?: string; orderDate?: string }>;
}

export interface DemoSource {
  id: string;
  organizationCode: string;
  platform: Platform;
  kind: 'GENERIC_WEBHOOK' | 'VK_CALLBACK' | 'TELEGRAM_BOT';
  name: string;
  secret: string;
  settings: Record<string, string | number>;
}

const TZ = 'Asia/Barnaul';

export const DEMO_ORGANIZATIONS: readonly DemoOrganization[] = [
  {
    id: '0b6f4a5e-0000-4000-8000-000000000001',
    code: 'kalmansky',
    name: 'Администрация Калманского района',
    kind: 'DISTRICT',
    timeZone: TZ,
  },
  {
    id: '0b6f4a5e-0000-4000-8000-000000000002',
    code: 'kalmansky.reception',
    name: 'Приёмная администрации района',
    kind: 'SUBDIVISION',
    parentCode: 'kalmansky',
    timeZone: TZ,
  },
  {
    id: '0b6f4a5e-0000-4000-8000-000000000003',
    code: 'kalmansky.housing',
    name: 'Отдел ЖКХ, строительства и архитектуры',
    kind: 'SUBDIVISION',
    parentCode: 'kalmansky',
    timeZone: TZ,
  },
  {
    id: '0b6f4a5e-0000-4000-8000-000000000004',
    code: 'kalmansky.roads',
    name: 'Отдел транспорта и дорожного хозяйства',
    kind: 'SUBDIVISION',
    parentCode: 'kalmansky',
    timeZone: TZ,
  },
  {
    id: '0b6f4a5e-0000-4000-8000-000000000011',
    code: 'buranovsky',
    name: 'Администрация Бурановского сельсовета',
    kind: 'SELSOVET',
    parentCode: 'kalmansky',
    timeZone: TZ,
  },
  {
    id: '0b6f4a5e-0000-4000-8000-000000000012',
    code: 'shadrinsky',
    name: 'Администрация Шадринского сельсовета',
    kind: 'SELSOVET',
    parentCode: 'kalmansky',
    timeZone: TZ,
  },
  {
    id: '0b6f4a5e-0000-4000-8000-000000000013',
    code: 'kalmansky.selsovet',
    name: 'Администрация Калманского сельсовета',
    kind: 'SELSOVET',
    parentCode: 'kalmansky',
    timeZone: TZ,
  },
];

const user = (n: number, login: string, displayName: string, roles: DemoUser['roles']): DemoUser => ({
  id: `0b6f4a5e-0000-4000-8001-${String(n).padStart(12, '0')}`,
  login,
  displayName,
  email: `${login}@kalmansky.example`,
  roles,
});

const ORDER = { orderNumber: '214-р', orderDate: '2025-09-01' };

export const DEMO_USERS: readonly DemoUser[] = [
  user(1, 'coordinator', 'Ольга Викторовна Седых', [{ organizationCode: 'kalmansky', role: 'COORDINATOR' }]),
  user(2, 'official', 'Андрей Петрович Бочаров', [{ organizationCode: 'kalmansky', role: 'OFFICIAL', ...ORDER }]),
  user(3, 'reception', 'Марина Сергеевна Лукина', [{ organizationCode: 'kalmansky', role: 'RECEPTION' }]),
  user(4, 'executor', 'Игорь Николаевич Зуев', [{ organizationCode: 'kalmansky', role: 'EXECUTOR' }]),
  user(5, 'head', 'Виктор Александрович Кравцов', [{ organizationCode: 'kalmansky', role: 'HEAD' }]),
  user(11, 'buranovsky.official', 'Наталья Ивановна Горбунова', [
    { organizationCode: 'buranovsky', role: 'OFFICIAL', orderNumber: '17-р', orderDate: '2025-10-06' },
  ]),
  user(12, 'buranovsky.executor', 'Сергей Павлович Мельников', [{ organizationCode: 'buranovsky', role: 'EXECUTOR' }]),
];

export const DEMO_SOURCES: readonly DemoSource[] = [
  {
    id: 'demo-webhook',
    organizationCode: 'kalmansky',
    platform: 'OTHER',
    kind: 'GENERIC_WEBHOOK',
    name: 'Система мониторинга (демо)',
    secret: 'demo-secret',
    settings: {},
  },
  {
    id: 'demo-vk',
    organizationCode: 'kalmansky',
    platform: 'VK',
    kind: 'VK_CALLBACK',
    name: 'Сообщество администрации ВКонтакте (демо)',
    secret: 'demo-vk-secret',
    settings: { groupId: 1, confirmation: 'demo-confirm', accessToken: 'demo-vk-token' },
  },
  {
    id: 'demo-telegram',
    organizationCode: 'kalmansky',
    platform: 'TELEGRAM',
    kind: 'TELEGRAM_BOT',
    name: 'Телеграм-бот администрации (демо)',
    secret: 'demo-tg-secret',
    settings: { botToken: '123456:demo-telegram-token' },
  },
];

export function demoOrganization(code: string): DemoOrganization {
  const found = DEMO_ORGANIZATIONS.find((o) => o.code === code);
  if (!found) throw new Error(`no demo organisation "${code}"`);
  return found;
}
