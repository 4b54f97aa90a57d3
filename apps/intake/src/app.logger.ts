/** Injection token of the app's pino logger (structured lines with the correlation id). */
export const APP_LOGGER = Symbol('AppLogger');
