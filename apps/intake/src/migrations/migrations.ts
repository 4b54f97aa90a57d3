import { CreateSourcesAndMessages1764230400000 } from './1764230400000-CreateSourcesAndMessages';

/** Every migration of the intake schema, oldest first. */
export const MIGRATIONS = [CreateSourcesAndMessages1764230400000];
