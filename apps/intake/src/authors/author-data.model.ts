import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import type { Platform } from '@otklik/contracts';
import { PlatformEnum } from '../messages/message.model';
import { JSONObjectScalar } from '../sources/source.model';

@InputType('AuthorDataInput', { description: 'An author as intake stores them: the platform and their id on it' })
export class AuthorDataInput {
  @Field(() => PlatformEnum) platform: Platform;
  @Field({ description: 'The author’s id on the platform, as Message.author.id shows it' }) authorId: string;
}

@InputType('EraseAuthorDataInput')
export class EraseAuthorDataInput {
  @Field(() => PlatformEnum) platform: Platform;
  @Field({ description: 'The author’s id on the platform, as Message.author.id shows it' }) authorId: string;
  @Field({ description: 'Why the data is erased (kept with the erasure)' }) reason: string;
  @Field({ description: 'The number or reference of the data subject’s request (a letter, an e-mail)' })
  requestReference: string;
}

@ObjectType('AuthorDataExport', {
  description: 'Everything intake holds of one author (152-FZ, art. 14), as a JSON document for the data subject',
})
export class AuthorDataExportModel {
  @Field(() => PlatformEnum) platform: Platform;
  @Field(() => GraphQLISODateTime) exportedAt: Date;
  @Field(() => Int, { description: 'Their messages in the organisations you coordinate' }) messages: number;
  @Field(() => JSONObjectScalar, {
    description:
      'format otklik.author-data.v1: each message as received and stored, its earlier versions, the imports it came from, and where workflow and notify keep the rest',
  })
  document: Record<string, unknown>;
}

@ObjectType('AuthorErasureReceipt', {
  description:
    'What an erasure did (152-FZ): the messages stay, with their texts, author and addresses replaced; their cases stay, anonymised when workflow and notify receive author.erased',
})
export class AuthorErasureReceiptModel {
  @Field(() => ID, { description: 'The erasure’s record' }) id: string;
  @Field(() => PlatformEnum) platform: Platform;
  @Field(() => GraphQLISODateTime) erasedAt: Date;
  @Field({ description: 'Who erased it (login)' }) erasedBy: string;
  @Field() reason: string;
  @Field() requestReference: string;
  @Field(() => [ID], { description: 'The messages erased: their ids stay, and so do their cases' })
  messageIds: string[];
  @Field(() => Int, { description: 'Messages whose text, author, addresses and attachments were replaced' })
  messages: number;
  @Field(() => Int, { description: 'Earlier versions whose texts were replaced' }) versions: number;
  @Field(() => Int, { description: 'Bodies as received (raw payloads) removed; 0 where retention purged them first' })
  rawPayloads: number;
}
