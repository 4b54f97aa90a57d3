import { Directive, Field, ObjectType } from '@nestjs/graphql';

/** Relay's PageInfo, the same in every subgraph with a list; federation needs it shareable. */
@ObjectType('PageInfo')
@Directive('@shareable')
export class PageInfoModel {
  @Field() hasNextPage: boolean;
  @Field() hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}
