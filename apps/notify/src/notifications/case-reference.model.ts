import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/**
 * workflow's Case, as notify refers to it: only its key. The gateway fetches every other field
 * from workflow (notify cannot resolve a Case, hence resolvable: false).
 */
@ObjectType('Case')
@Directive('@key(fields: "id", resolvable: false)')
export class CaseReference {
  @Field(() => ID) id: string;
  /** Named for the gateway and resolvers reading the object; not a schema field. */
  __typename?: 'Case';
}
