import { CreateNotifyTables1795902732392 } from './1795902732392-create-notify-tables';

/** Every migration of the notify schema, oldest first. */
export const MIGRATIONS = [CreateNotifyTables1795902732392];
