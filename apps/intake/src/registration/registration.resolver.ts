import { Args, Context, Field, GraphQLISODateTime, ID, InputType, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentViewer, Roles, Viewer } from '@otklik/auth';
import type { Platform } from '@otklik/contracts';
import { MessageLoader } from '../messages/message.loader';
import { toMessageModel } from '../messages/message.mapper';
import { MessageModel, PlatformEnum } from '../messages/message.model';
import { RegistrationService } from './registration.service';

@InputType('RegisterMessageInput')
export class RegisterMessageInput {
  @Field(() => ID, { description: 'The organisation the message concerns' }) organizationId: string;
  @Field(() => PlatformEnum, { description: 'Where it was seen (OTHER for a website, EMAIL, …)' }) platform: Platform;
  @Field({ description: 'The message as its author wrote it' }) text: string;
  @Field(() => String, { nullable: true, description: 'Its address; the same link registered twice is one message' })
  url?: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was posted; now unless given' })
  postedAt?: Date | null;
  @Field(() => String, { nullable: true }) authorName?: string | null;
  @Field(() => String, { nullable: true, description: "The author's profile page" }) authorUrl?: string | null;
  @Field(() => String, { nullable: true, description: 'A screenshot of it (an http(s) address)' })
  screenshotUrl?: string | null;
}

@Resolver(() => MessageModel)
export class RegistrationResolver {
  constructor(
    private readonly registration: RegistrationService,
    private readonly loader: MessageLoader,
  ) {}

  @Mutation(() => MessageModel, {
    description: 'Register a message seen anywhere (cl. 2): stored, screened and opened as a case like any other',
  })
  @Roles('OFFICIAL', 'COORDINATOR', 'RECEPTION')
  async registerMessage(
    @CurrentViewer() viewer: Viewer,
    @Args('input') input: RegisterMessageInput,
    @Context('req') req: object,
  ): Promise<MessageModel> {
    const { messageId } = await this.registration.register(viewer, input);
    const stored = await this.loader.load(req, messageId);
    // Just stored (or found) in the viewer's own organisation: not seeing it is a bug.
    if (!stored) throw new Error(`registered message ${messageId} cannot be read back`);
    return toMessageModel(stored);
  }
}
