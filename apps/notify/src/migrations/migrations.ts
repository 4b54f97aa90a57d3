import { CreateNotifyTables1795902732392 } from './1795902732392-create-notify-tables';
import { NotificationSources1795911667082 } from './1795911667082-notification-sources';
import { Publishing1796600000000 } from './1796600000000-publishing';
import { Delivery1796700000000 } from './1796700000000-delivery';

/** Every migration of the notify schema, oldest first. */
export const MIGRATIONS = [
  CreateNotifyTables1795902732392,
  NotificationSources1795911667082,
  Publishing1796600000000,
  Delivery1796700000000,
];
