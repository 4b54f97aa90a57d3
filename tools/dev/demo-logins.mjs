// The demo users seeded by the apps (CONTRACT.md, "Demo data").
export const DEMO_LOGINS = [
  'coordinator',
  'official',
  'reception',
  'executor',
  'head',
  'buranovsky.official',
  'buranovsky.executor',
];
