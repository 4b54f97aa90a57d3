export * from './production-calendar';
export * from './bundled-years';
export * from './time-zone';
export * from './working-schedule';
export * from './working-time';
export * from './deadline-rules';
