import { InitWorkflow1795900000000 } from './1795900000000-init-workflow';

/** Every migration of the workflow schema, oldest first. */
export const MIGRATIONS = [InitWorkflow1795900000000];
