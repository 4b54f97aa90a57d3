import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module';
import { AuthorErasedHandler } from './author-erased.handler';
import { AuthorErasureRepository } from './author-erasure.repository';
import { AuthorErasureService } from './author-erasure.service';

/** Authors' personal data in workflow (152-FZ): their erasure, carried out on intake's author.erased. */
@Module({
  imports: [OrganizationsModule],
  providers: [AuthorErasureRepository, AuthorErasureService, AuthorErasedHandler],
  exports: [AuthorErasureService],
})
export class PersonalDataModule {}
