import { IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineEvent } from '../event';
import { ROLES, Role } from '../platform';

/** workflow gave a user a role in an organisation; other services keep who to tell what. */
export class StaffAppointedV1 {
  @IsUUID() userId: string;
  @IsString() @MaxLength(200) login: string;
  @IsString() @MaxLength(500) displayName: string;
  @IsOptional() @IsEmail() email?: string;
  @IsUUID() organizationId: string;
  @IsIn(ROLES) role: Role;
}

export const StaffAppointed = defineEvent('staff.appointed', 1, StaffAppointedV1);
