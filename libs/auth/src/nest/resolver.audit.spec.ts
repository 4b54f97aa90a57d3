import { Args, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyViewer, Roles } from './auth.decorators';
import { findUnguardedResolvers } from './resolver.audit';

@Resolver()
class GuardedResolver {
  @Query(() => String) @AnyViewer() me() {
    return 'me';
  }
  @Mutation(() => String) @Roles('HEAD') approve(@Args('id') id: string) {
    return id;
  }
}

@Resolver()
@Roles('OFFICIAL')
class ClassGuardedResolver {
  @Query(() => String) cases() {
    return 'cases';
  }
}

@Resolver(() => String)
class LeakyResolver {
  @Query(() => String) secrets() {
    return 'x';
  }
  @ResolveField(() => String) detail() {
    return 'field resolvers are reached through a guarded root';
  }
}

describe('findUnguardedResolvers', () => {
  it('names root resolvers that state no rule, and only those', () => {
    expect(findUnguardedResolvers([GuardedResolver, ClassGuardedResolver, LeakyResolver])).toEqual([
      'LeakyResolver.secrets (Query)',
    ]);
  });
});
