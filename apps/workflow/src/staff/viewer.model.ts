import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Role, ROLES } from '@otklik/contracts';

export const RoleEnum = Object.fromEntries(ROLES.map((r) => [r, r])) as { [R in Role]: R };
registerEnumType(RoleEnum, {
  name: 'Role',
  description: 'What a member of staff may do in an organisation (REQUIREMENTS "Who uses it")',
});

@ObjectType('ViewerRole')
export class ViewerRoleModel {
  @Field(() => RoleEnum) role: Role;
  /** Resolved by ViewerRoleResolver.organization. */
  organizationId: string;
}

@ObjectType('Viewer', { description: 'A member of staff: the caller (me), an executor, a responsible person' })
export class ViewerModel {
  @Field() login: string;
  @Field() displayName: string;
  @Field(() => [ViewerRoleModel], { description: 'Roles in the organisations the caller may see' })
  roles: ViewerRoleModel[];
}
