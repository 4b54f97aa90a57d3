import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { NotificationChannelEnum } from '../preferences/preference.model';
import type { Channel } from '../preferences/preference.rules';
import { DELIVERY_STATUSES, DeliveryStatus } from './delivery.entity';

export const NotificationDeliveryStatusEnum = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, s])) as {
  [S in DeliveryStatus]: S;
};
registerEnumType(NotificationDeliveryStatusEnum, {
  name: 'NotificationDeliveryStatus',
  description:
    'PENDING (waiting: its time, the morning digest or another attempt), SENT, FAILED (given up; lastError says why), SKIPPED (not sent: switched off, no address, channel off)',
});

@ObjectType('NotificationDelivery', { description: 'How one notification went on one channel: the delivery log.' })
export class NotificationDeliveryModel {
  @Field(() => NotificationChannelEnum) channel: Channel;
  @Field(() => NotificationDeliveryStatusEnum) status: DeliveryStatus;
  @Field({ description: 'Held outside working hours for the morning digest.' }) digest: boolean;
  @Field(() => Int, { description: 'Attempts made so far.' }) attempts: number;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'While PENDING: when it goes (again).' })
  nextAttemptAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, or why it was skipped (Russian).' })
  lastError: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) sentAt: Date | null;
}

@ObjectType('TelegramLinkCode', {
  description:
    'A one-time code linking the viewer’s Telegram chat with the staff bot: open the link, or send /start <code> to the bot.',
})
export class TelegramLinkCodeModel {
  @Field() code: string;
  @Field({ description: 'https://t.me/<bot>?start=<code>' }) link: string;
  @Field(() => GraphQLISODateTime, { description: 'It works once, until then (15 minutes).' }) expiresAt: Date;
}

@ObjectType('TelegramLink', { description: 'The viewer’s Telegram chat with the staff bot, where notifications go.' })
export class TelegramLinkModel {
  @Field(() => GraphQLISODateTime) linkedAt: Date;
}
