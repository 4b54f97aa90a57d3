import { CreateSourcesAndMessages1764230400000 } from './1764230400000-CreateSourcesAndMessages';
import { MessageScreening1796300000000 } from './1796300000000-message-screening';
import { ManualRegistration1796500000000 } from './1796500000000-manual-registration';
import { SourceKinds1796600000000 } from './1796600000000-source-kinds';

/** Every migration of the intake schema, oldest first. */
export const MIGRATIONS = [
  CreateSourcesAndMessages1764230400000,
  MessageScreening1796300000000,
  ManualRegistration1796500000000,
  SourceKinds1796600000000,
];
