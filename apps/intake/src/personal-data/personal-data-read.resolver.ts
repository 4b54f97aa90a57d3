import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { CurrentViewer, Roles, Viewer } from '@otklik/auth';
import type { Platform } from '@otklik/contracts';
import { PlatformEnum } from '../messages/message.model';
import { toPersonalDataReadConnection } from './personal-data-read.mapper';
import { PersonalDataReadConnectionModel, PersonalDataReadModel } from './personal-data-read.model';
import { PersonalDataReadService } from './personal-data-read.service';

@Resolver(() => PersonalDataReadModel)
export class PersonalDataReadResolver {
  constructor(private readonly reads: PersonalDataReadService) {}

  @Query(() => PersonalDataReadConnectionModel, {
    description:
      "Who read an author's personal data (152-FZ), newest first: of one message's author, or of every message of an author on a platform; in the organisations where you are COORDINATOR, and below",
  })
  @Roles('COORDINATOR')
  async personalDataReads(
    @CurrentViewer() viewer: Viewer,
    @Args('messageId', { type: () => ID, nullable: true, description: 'The message whose author was read' })
    messageId?: string,
    @Args('authorId', {
      type: () => String,
      nullable: true,
      description: "The author's id on the platform (Author.id)",
    })
    authorId?: string,
    @Args('platform', { type: () => PlatformEnum, nullable: true, description: 'The platform of authorId' })
    platform?: Platform,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size: 20 unless given, at most 100' })
    first?: number,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page' })
    after?: string,
  ): Promise<PersonalDataReadConnectionModel> {
    return toPersonalDataReadConnection(await this.reads.list(viewer, { messageId, authorId, platform, first, after }));
  }
}
