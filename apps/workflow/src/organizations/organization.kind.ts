/** Decree, item 3: the district administration, its structural subdivisions and the sel'sovets. */
export const ORGANIZATION_KINDS = ['DISTRICT', 'SUBDIVISION', 'SELSOVET'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
