import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { Role } from '@otklik/contracts';
import { STAFF_ACCESS_ACTIONS, StaffAccessAction } from './staff-access-change.entity';
import { RoleEnum } from './viewer.model';

export const StaffAccessActionEnum = Object.fromEntries(STAFF_ACCESS_ACTIONS.map((a) => [a, a])) as {
  [A in StaffAccessAction]: A;
};
registerEnumType(StaffAccessActionEnum, {
  name: 'StaffAccessAction',
  description: 'A change of someone’s access: a role granted or withdrawn, sessions revoked, signed out',
});

@ObjectType('StaffAccessChange', {
  description:
    'A change of someone’s access, as recorded and announced to the gateways (which apply it at once: revoked tokens are refused, open connections re-check their roles)',
})
export class StaffAccessChangeModel {
  @Field(() => StaffAccessActionEnum) action: StaffAccessAction;
  @Field({ description: 'Whose access changed' }) login: string;
  @Field(() => ID, { nullable: true, description: 'The role’s organisation; null for revocations' })
  organizationId: string | null;
  @Field(() => RoleEnum, { nullable: true, description: 'The role granted or withdrawn; null for revocations' })
  role: Role | null;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Revocations: the person’s tokens issued at or before this moment are refused',
  })
  tokensIssuedBefore: Date | null;
  @Field({ description: 'Who made the change' }) changedBy: string;
  @Field(() => GraphQLISODateTime) changedAt: Date;
  @Field({ description: 'False when nothing changed: the role was held already, or was not held' })
  changed: boolean;
}

@InputType('GrantRoleInput', {
  description: 'A role in an organisation the caller coordinates (it or one above it), for a member of staff there',
})
export class GrantRoleInput {
  @Field() login: string;
  @Field(() => ID) organizationId: string;
  @Field(() => RoleEnum) role: Role;
}

@InputType('WithdrawRoleInput', { description: 'A role someone holds in an organisation the caller coordinates' })
export class WithdrawRoleInput {
  @Field() login: string;
  @Field(() => ID) organizationId: string;
  @Field(() => RoleEnum) role: Role;
}

@InputType('RevokeSessionsInput', {
  description: 'Ends every session of a member of staff of the caller’s organisations: their tokens issued until now',
})
export class RevokeSessionsInput {
  @Field() login: string;
  @Field({ description: 'Why (kept in the record): a lost phone, a dismissal…' }) reason: string;
}
