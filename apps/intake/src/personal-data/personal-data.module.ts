import { Module } from '@nestjs/common';
import { MessageAuthorResolver } from './message-author.resolver';
import { PersonalDataReadRecorder } from './personal-data-read.recorder';
import { PersonalDataReadRepository } from './personal-data-read.repository';
import { PersonalDataReadResolver } from './personal-data-read.resolver';
import { PersonalDataReadService } from './personal-data-read.service';

/**
 * Staff reads of authors' personal data (152-FZ): logged as they happen, and listed for
 * coordinators. The recorder is exported for any other resolver that returns an author's data.
 */
@Module({
  providers: [
    PersonalDataReadRepository,
    PersonalDataReadRecorder,
    PersonalDataReadService,
    PersonalDataReadResolver,
    MessageAuthorResolver,
  ],
  exports: [PersonalDataReadRecorder],
})
export class PersonalDataModule {}
