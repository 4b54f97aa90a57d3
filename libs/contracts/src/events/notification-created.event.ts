import { IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineEvent } from '../event';

/** notify recorded an in-app notification for one user (the gateway pushes it live). */
export class NotificationCreatedV1 {
  @IsUUID() notificationId: string;
  @IsUUID() userId: string;
  @IsString() @MaxLength(100) kind: string;
  @IsString() text: string;
  @IsOptional() @IsUUID() caseId?: string;
  @IsISO8601() createdAt: string;
}

export const NotificationCreated = defineEvent('notification.created', 1, NotificationCreatedV1);
