import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentViewer, Roles, Viewer } from '@otklik/auth';
import { toMessageImportModel, toMessageImportRowModel } from './import.mapper';
import { ImportMessagesInput, MessageImportModel, MessageImportRowModel } from './import.model';
import { ImportService } from './import.service';

/** Who registers messages by hand may import a file of them (as registerMessage). */
const IMPORTERS = ['OFFICIAL', 'COORDINATOR', 'RECEPTION'] as const;

@Resolver(() => MessageImportModel)
export class ImportResolver {
  constructor(private readonly imports: ImportService) {}

  @Mutation(() => MessageImportModel, {
    description:
      'Import a batch of messages from a CSV or XLSX file (cl. 2): each row stored, screened and opened as a case like any other message, with a report of every row',
  })
  @Roles(...IMPORTERS)
  async importMessages(
    @CurrentViewer() viewer: Viewer,
    @Args('input') input: ImportMessagesInput,
  ): Promise<MessageImportModel> {
    return toMessageImportModel(await this.imports.importMessages(viewer, input));
  }

  @Query(() => MessageImportModel, { nullable: true, description: 'An import of an organisation the viewer may see' })
  @Roles(...IMPORTERS)
  async messageImport(@Args('id', { type: () => ID }) id: string): Promise<MessageImportModel | null> {
    const found = await this.imports.find(id);
    return found ? toMessageImportModel(found) : null;
  }

  @Query(() => [MessageImportModel], { description: 'An organisation’s imports, newest first' })
  @Roles(...IMPORTERS)
  async messageImports(
    @CurrentViewer() viewer: Viewer,
    @Args('organizationId', { type: () => ID }) organizationId: string,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
  ): Promise<MessageImportModel[]> {
    return (await this.imports.list(viewer, organizationId, first)).map(toMessageImportModel);
  }

  @ResolveField('rows', () => [MessageImportRowModel], { description: 'Every data row, in file order' })
  async rows(@Parent() parent: MessageImportModel): Promise<MessageImportRowModel[]> {
    return (parent.loadedRows ?? (await this.imports.reportOf(parent.id))).map(toMessageImportRowModel);
  }
}
