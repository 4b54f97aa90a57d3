import { Module } from '@nestjs/common';
import { AuthorErasedHandler } from './author-erased.handler';
import { AuthorErasureRepository } from './author-erasure.repository';

/** Authors' personal data in notify (152-FZ): their erasure, carried out on intake's author.erased. */
@Module({ providers: [AuthorErasureRepository, AuthorErasedHandler] })
export class PersonalDataModule {}
