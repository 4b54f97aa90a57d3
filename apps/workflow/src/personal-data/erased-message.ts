import { ERASED_TEXT, MessageAcceptedV1 } from '@otklik/contracts';

/**
 * message.accepted of a message whose author was erased before workflow handled it: everything
 * that came from the author replaced as intake replaced it — the text fixed, no author, address,
 * thread or attachments; the external id becomes the message's own id (the field is required).
 * What intake decided about it (screening, criticality, when) stays.
 */
export function erasedMessage(message: MessageAcceptedV1): MessageAcceptedV1 {
  const erased: MessageAcceptedV1 = { ...message, externalId: message.messageId, text: ERASED_TEXT, attachments: [] };
  delete erased.author;
  delete erased.url;
  delete erased.threadId;
  return erased;
}
