import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ORGANIZATION_KINDS, OrganizationKind } from './organization.kind';

export const OrganizationKindEnum = Object.fromEntries(ORGANIZATION_KINDS.map((k) => [k, k])) as {
  [K in OrganizationKind]: K;
};
registerEnumType(OrganizationKindEnum, {
  name: 'OrganizationKind',
  description: "The district administration, one of its structural subdivisions, or a sel'sovet",
});

@ObjectType('Organization', { description: "A tenant: the district, a subdivision or a sel'sovet (owned by workflow)" })
@Directive('@key(fields: "id")')
export class OrganizationModel {
  @Field(() => ID) id: string;
  @Field({ description: 'Stable short name, e.g. kalmansky.housing' }) code: string;
  @Field() name: string;
  @Field(() => OrganizationKindEnum) kind: OrganizationKind;
  @Field({ description: 'IANA time zone on whose clock its deadlines are counted, e.g. Asia/Barnaul' })
  timeZone: string;
  /** Resolved by OrganizationResolver.parent (null when the viewer may not see it). */
  parentId: string | null;
}
