import type { MessageVersionEntity } from '../messages/message-version.entity';
import type { MessageEntity } from '../messages/message.entity';
import type { ImportRowOfMessage } from './author-data.repository';
import type { AuthorKey } from './author-data.rules';

/** The export's format: a consumer of the document checks it before reading further. */
export const AUTHOR_EXPORT_FORMAT = 'otklik.author-data.v1';

/** What the export document is made of, as read in one transaction. */
export interface AuthorDataSnapshot {
  author: AuthorKey;
  exportedAt: Date;
  exportedBy: string;
  organizationIds: readonly string[];
  messages: readonly MessageEntity[];
  versions: readonly MessageVersionEntity[];
  importRows: readonly ImportRowOfMessage[];
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/**
 * The document a data subject receives (152-FZ, art. 14): everything intake holds of them, message
 * by message — as received (`raw`), as stored, and every earlier version — and where the rest is:
 * workflow's cases and notify's publications name the messages by these ids.
 */
export function toAuthorExportDocument(snapshot: AuthorDataSnapshot): Record<string, unknown> {
  const versionsOf = new Map<string, MessageVersionEntity[]>();
  for (const version of snapshot.versions) {
    versionsOf.set(version.messageId, [...(versionsOf.get(version.messageId) ?? []), version]);
  }
  const importsOf = new Map<string, ImportRowOfMessage[]>();
  for (const row of snapshot.importRows) importsOf.set(row.messageId, [...(importsOf.get(row.messageId) ?? []), row]);
  return {
    format: AUTHOR_EXPORT_FORMAT,
    exportedAt: snapshot.exportedAt.toISOString(),
    exportedBy: snapshot.exportedBy,
    subject: { platform: snapshot.author.platform, authorId: snapshot.author.authorId },
    operator: {
      service: 'intake',
      organizationIds: [...snapshot.organizationIds],
      purpose: 'answering the messages addressed to the organisations’ official accounts',
    },
    messages: snapshot.messages.map((m) => ({
      id: m.id,
      organizationId: m.organizationId,
      sourceId: m.sourceId,
      platform: m.platform,
      externalId: m.externalId,
      threadId: m.threadId,
      url: m.url,
      author: m.author,
      text: m.text,
      attachments: m.attachments,
      postedAt: iso(m.postedAt),
      receivedAt: iso(m.receivedAt),
      editedAt: iso(m.editedAt),
      deletedAt: iso(m.deletedAt),
      deletedBy: m.deletedBy,
      screening: m.screening ? { excluded: m.screening.excluded, reasons: m.screening.reasons } : null,
      criticality: m.criticality ? { critical: m.criticality.critical } : null,
      raw: m.raw ?? null,
      versions: (versionsOf.get(m.id) ?? []).map((v) => ({
        version: v.version,
        text: v.text,
        attachments: v.attachments,
        replacedAt: iso(v.replacedAt),
      })),
      importedFrom: (importsOf.get(m.id) ?? []).map((r) => ({
        importId: r.importId,
        fileName: r.fileName,
        importedAt: iso(r.importedAt),
        row: r.row,
      })),
    })),
    elsewhere: [
      {
        service: 'workflow',
        holds:
          'the case opened for each message: its status, deadlines, history and the official answer; a copy of the message text and the author’s name and id for finding replies and repeats',
        find: 'Case.message.id is the id of a message above (GraphQL: cases, case)',
      },
      {
        service: 'notify',
        holds:
          'each answer published under a message: where it was published (the message’s external id, thread and author id)',
        find: 'Case.publications of the case of a message above',
      },
    ],
  };
}
