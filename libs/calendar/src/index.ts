export * from './production-calendar';
export * from './bundled-years';
