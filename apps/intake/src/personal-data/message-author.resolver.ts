import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentViewer, Viewer } from '@otklik/auth';
import { AuthorModel } from '../messages/message.model';
import { PersonalDataReadRecorder } from './personal-data-read.recorder';
import type { PersonalDataField } from './personal-data.rules';

/**
 * Message.author's fields, each logged as it is returned to a person (152-FZ): through
 * message(id), registerMessage, or the gateway's entity fetch for a case or a live case feed —
 * every GraphQL call carries the person it answers. A field with no value discloses nothing and
 * is not logged. Per field rather than per author: aliases, fragments and @skip are then counted
 * exactly as they are executed.
 */
@Resolver(() => AuthorModel)
export class MessageAuthorResolver {
  constructor(private readonly recorder: PersonalDataReadRecorder) {}

  @ResolveField('id')
  id(@Parent() author: AuthorModel, @CurrentViewer() viewer: Viewer, @Context('req') req: object) {
    return this.read(req, viewer, author, 'AUTHOR_ID', author.id);
  }

  @ResolveField('name')
  name(@Parent() author: AuthorModel, @CurrentViewer() viewer: Viewer, @Context('req') req: object) {
    return this.read(req, viewer, author, 'AUTHOR_NAME', author.name);
  }

  @ResolveField('url')
  url(@Parent() author: AuthorModel, @CurrentViewer() viewer: Viewer, @Context('req') req: object) {
    return this.read(req, viewer, author, 'AUTHOR_URL', author.url);
  }

  private async read(
    req: object,
    viewer: Viewer,
    author: AuthorModel,
    field: PersonalDataField,
    value: string | null,
  ): Promise<string | null> {
    if (value === null) return null;
    await this.recorder.record(req, viewer, {
      messageId: author.messageId,
      organizationId: author.organizationId,
      field,
    });
    return value;
  }
}
