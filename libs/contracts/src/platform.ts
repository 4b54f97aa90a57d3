export const PLATFORMS = [
  'VK',
  'OK',
  'TELEGRAM',
  'MAX',
  'FACEBOOK',
  'TWITTER',
  'INSTAGRAM',
  'WEBSITE',
  'EMAIL',
  'OTHER',
] as const;
export type Platform = (typeof PLATFORMS)[number];

export const ROLES = ['COORDINATOR', 'OFFICIAL', 'RECEPTION', 'EXECUTOR', 'HEAD'] as const;
export type Role = (typeof ROLES)[number];
