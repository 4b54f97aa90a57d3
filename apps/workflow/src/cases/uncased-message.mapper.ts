import { PageInfoModel } from '@otklik/service-kit';
import type { Platform } from '@otklik/contracts';
import type { UncasedMessageRow } from './uncased-message.repository';
import { UncasedMessageConnectionModel, UncasedMessageEdgeModel, UncasedMessageModel } from './uncased-message.model';
import { encodeUncasedCursor } from './uncased-message.rules';
import type { UncasedPage } from './uncased-message.service';

export function toUncasedMessageModel(row: UncasedMessageRow): UncasedMessageModel {
  return Object.assign(new UncasedMessageModel(), {
    id: row.messageId,
    platform: row.platform as Platform,
    text: row.text,
    receivedAt: row.receivedAt,
    keptAt: row.keptAt,
    organizationId: row.organizationId,
  });
}

export function toUncasedMessageConnection(page: UncasedPage): UncasedMessageConnectionModel {
  const edges = page.messages.map((row) =>
    Object.assign(new UncasedMessageEdgeModel(), {
      cursor: encodeUncasedCursor({ at: row.receivedAt, id: row.messageId }),
      node: toUncasedMessageModel(row),
    }),
  );
  const pageInfo = Object.assign(new PageInfoModel(), {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: edges.length > 0 ? edges[0].cursor : null,
    endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
  });
  return Object.assign(new UncasedMessageConnectionModel(), { edges, pageInfo, totalCount: page.totalCount });
}
