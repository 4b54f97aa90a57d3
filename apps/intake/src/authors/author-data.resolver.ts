import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentViewer, Roles, Viewer } from '@otklik/auth';
import { toAuthorDataExportModel, toAuthorErasureReceiptModel } from './author-data.mapper';
import {
  AuthorDataExportModel,
  AuthorDataInput,
  AuthorErasureReceiptModel,
  EraseAuthorDataInput,
} from './author-data.model';
import { AUTHOR_DATA_ROLE } from './author-data.rules';
import { AuthorDataService } from './author-data.service';

/**
 * A data subject's requests (152-FZ), answered by a COORDINATOR for the organisations they
 * coordinate. The export is a mutation as well: handing someone's data out is an act, logged, not
 * a read for clients to repeat or cache.
 */
@Resolver()
@Roles(AUTHOR_DATA_ROLE)
export class AuthorDataResolver {
  constructor(private readonly authors: AuthorDataService) {}

  @Mutation(() => AuthorDataExportModel, {
    description: 'Everything intake holds of one author, for a data subject’s request of access (152-FZ, art. 14)',
  })
  async exportAuthorData(
    @CurrentViewer() viewer: Viewer,
    @Args('input') input: AuthorDataInput,
    @Context('req') req: object,
  ): Promise<AuthorDataExportModel> {
    return toAuthorDataExportModel(await this.authors.export(viewer, input, req));
  }

  @Mutation(() => AuthorErasureReceiptModel, {
    description:
      'Erases one author’s personal data at their request (152-FZ, art. 21): texts, names, ids and addresses replaced; the cases stay, anonymised',
  })
  async eraseAuthorData(
    @CurrentViewer() viewer: Viewer,
    @Args('input') input: EraseAuthorDataInput,
  ): Promise<AuthorErasureReceiptModel> {
    return toAuthorErasureReceiptModel(await this.authors.erase(viewer, input));
  }
}
