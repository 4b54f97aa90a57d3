import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/**
 * intake's Message, as workflow points at it: only the key. The gateway fetches its fields from
 * intake, which owns the entity (listed in orphanedTypes: STACK.md pitfall 3).
 */
@ObjectType('Message')
@Directive('@key(fields: "id", resolvable: false)')
export class MessageReference {
  @Field(() => ID) id: string;
}
