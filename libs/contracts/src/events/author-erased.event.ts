import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsUUID } from 'class-validator';
import { defineEvent } from '../event';

/** What stands in every text an erasure replaced (152-FZ: the data subject's request). */
export const ERASED_TEXT = '[удалено по запросу субъекта персональных данных]';

/** Message ids one author.erased carries at the most: a larger erasure is announced in parts. */
export const MAX_ERASED_MESSAGES_PER_EVENT = 1000;

/**
 * intake erased one author's personal data at a coordinator's request (152-FZ): these messages
 * keep their ids, but their texts, author and addresses are gone. Each service anonymises its own
 * copies of them; the cases stay. Published for the messages' organisation; it names the messages
 * only — never the author, whom no one is to learn again.
 */
export class AuthorErasedV1 {
  /** The request (intake.erasure_requests): one erasure may be announced in several parts. */
  @IsUUID() erasureId: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ERASED_MESSAGES_PER_EVENT)
  @IsUUID('all', { each: true })
  messageIds: string[];
  @IsISO8601() erasedAt: string;
}

export const AuthorErased = defineEvent('author.erased', 1, AuthorErasedV1);
