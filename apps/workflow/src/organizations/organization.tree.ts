import { Injectable } from '@nestjs/common';
import { ALL_ORGS, callContext } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import type { OrganizationEntity } from './organization.entity';
import { OrganizationRepository } from './organization.repository';

/** How long a replica keeps the tree; an id it does not know makes it read the tree again at once. */
export const ORGANIZATION_TREE_CACHE_MS = 30_000;

export type TreeNode = Pick<OrganizationEntity, 'id' | 'code' | 'name' | 'kind' | 'parentId' | 'timeZone'>;

/** The organisation tree at one moment: walking up (whose role covers a case) and down (what a role sees). */
export class OrganizationTreeSnapshot {
  private readonly byId: ReadonlyMap<string, TreeNode>;
  private readonly children = new Map<string, string[]>();

  constructor(nodes: readonly TreeNode[]) {
    this.byId = new Map(nodes.map((n) => [n.id, n]));
    for (const node of nodes) {
      if (node.parentId) this.children.set(node.parentId, [...(this.children.get(node.parentId) ?? []), node.id]);
    }
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): TreeNode | undefined {
    return this.byId.get(id);
  }

  /** `id` and every organisation above it, nearest first; empty for an unknown id. */
  pathOf(id: string): string[] {
    const path: string[] = [];
    for (let node = this.byId.get(id); node && !path.includes(node.id); node = this.parentOf(node)) path.push(node.id);
    return path;
  }

  /** The organisations above which there is none (a district). */
  roots(): string[] {
    return [...this.byId.values()].filter((n) => !n.parentId || !this.byId.has(n.parentId)).map((n) => n.id);
  }

  /** These organisations and every one below them. */
  subtreesOf(ids: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const queue = [...ids].filter((id) => this.byId.has(id));
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...(this.children.get(id) ?? []));
    }
    return seen;
  }

  private parentOf(node: TreeNode): TreeNode | undefined {
    return node.parentId ? this.byId.get(node.parentId) : undefined;
  }
}

/**
 * The whole tree, cached per replica. Reading it is system work (every organisation's row): the
 * tree's shape is not a secret, and knowing who is above a case's organisation is what lets
 * workflow check a district role over a sel'sovet's case or tell a district's coordinator.
 */
@Injectable()
export class OrganizationTree {
  private cached?: { snapshot: OrganizationTreeSnapshot; at: number };

  constructor(
    private readonly uow: UnitOfWork,
    private readonly organizations: OrganizationRepository,
  ) {}

  /** The tree, read again when older than the cache time or when it lacks `mustKnow`. */
  async current(mustKnow?: string): Promise<OrganizationTreeSnapshot> {
    const cached = this.cached;
    if (cached && Date.now() - cached.at < ORGANIZATION_TREE_CACHE_MS && (!mustKnow || cached.snapshot.has(mustKnow))) {
      return cached.snapshot;
    }
    const caller = callContext.current();
    // Its own transaction, outside the caller's, in every organisation's scope.
    const nodes = await callContext.run(
      { correlationId: caller?.correlationId ?? 'organization-tree', orgScope: ALL_ORGS, actor: caller?.actor },
      () => this.uow.runIsolated(() => this.organizations.findAll()),
    );
    const snapshot = new OrganizationTreeSnapshot(nodes);
    this.cached = { snapshot, at: Date.now() };
    return snapshot;
  }
}
