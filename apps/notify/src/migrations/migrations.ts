import { CreateNotifyTables1795902732392 } from './1795902732392-create-notify-tables';
import { NotificationSources1795911667082 } from './1795911667082-notification-sources';

/** Every migration of the notify schema, oldest first. */
export const MIGRATIONS = [CreateNotifyTables1795902732392, NotificationSources1795911667082];
