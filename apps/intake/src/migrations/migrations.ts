import { CreateSourcesAndMessages1764230400000 } from './1764230400000-CreateSourcesAndMessages';
import { MessageScreening1796300000000 } from './1796300000000-message-screening';
import { ManualRegistration1796500000000 } from './1796500000000-manual-registration';
import { SourceKinds1796600000000 } from './1796600000000-source-kinds';
import { SourceRegistry1796700000000 } from './1796700000000-source-registry';
import { MessageChanges1796800000000 } from './1796800000000-message-changes';
import { Feeds1796900000000 } from './1796900000000-feeds';
import { Imports1797000000000 } from './1797000000000-imports';
import { MessageCriticality1797100000000 } from './1797100000000-message-criticality';
import { RateLimits1797200000000 } from './1797200000000-rate-limits';
import { PersonalData1797400000000 } from './1797400000000-personal-data';
import { AuthorErasure1797500000000 } from './1797500000000-author-erasure';
import { ExportReads1797600000000 } from './1797600000000-export-reads';

/** Every migration of the intake schema, oldest first. */
export const MIGRATIONS = [
  CreateSourcesAndMessages1764230400000,
  MessageScreening1796300000000,
  ManualRegistration1796500000000,
  SourceKinds1796600000000,
  SourceRegistry1796700000000,
  MessageChanges1796800000000,
  Feeds1796900000000,
  Imports1797000000000,
  MessageCriticality1797100000000,
  RateLimits1797200000000,
  PersonalData1797400000000,
  AuthorErasure1797500000000,
  ExportReads1797600000000,
];
