import { Module } from '@nestjs/common';
import { PersonalDataModule } from '../personal-data/personal-data.module';
import { AuthorDataRepository } from './author-data.repository';
import { AuthorDataResolver } from './author-data.resolver';
import { AuthorDataService } from './author-data.service';

/** A data subject's requests (152-FZ): export and erasure of one author's data. */
@Module({
  imports: [PersonalDataModule],
  providers: [AuthorDataRepository, AuthorDataService, AuthorDataResolver],
})
export class AuthorsModule {}
