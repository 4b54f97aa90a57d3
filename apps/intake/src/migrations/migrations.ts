import { CreateSourcesAndMessages1764230400000 } from './1764230400000-CreateSourcesAndMessages';
import { MessageScreening1796300000000 } from './1796300000000-message-screening';
import { ManualRegistration1796500000000 } from './1796500000000-manual-registration';

/** Every migration of the intake schema, oldest first. */
export const MIGRATIONS = [
  CreateSourcesAndMessages1764230400000,
  MessageScreening1796300000000,
  ManualRegistration1796500000000,
];
