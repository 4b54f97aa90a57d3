import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Channel, CHANNELS } from './preference.rules';

export const NotificationChannelEnum = Object.fromEntries(CHANNELS.map((c) => [c, c])) as { [C in Channel]: C };
registerEnumType(NotificationChannelEnum, {
  name: 'NotificationChannel',
  description: 'Where a notification reaches its person: IN_APP (the feed), EMAIL, TELEGRAM (the staff bot)',
});

@ObjectType('NotificationPreference', {
  description: 'Whether one kind of notification reaches the viewer on one channel.',
})
export class NotificationPreferenceModel {
  @Field({ description: 'A notification kind, e.g. DEADLINE_AT_RISK.' }) kind: string;
  @Field(() => NotificationChannelEnum) channel: Channel;
  @Field() enabled: boolean;
  @Field({ description: 'False while the default holds (the viewer has not chosen).' }) chosen: boolean;
  @Field({ description: 'False for IN_APP: the feed stays on.' }) changeable: boolean;
}
