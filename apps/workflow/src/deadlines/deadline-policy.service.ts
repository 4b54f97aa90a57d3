import { Injectable, Logger } from '@nestjs/common';
import {
  CalendarError,
  DEFAULT_DEADLINE_POLICY,
  DeadlinePolicy,
  deadlinePolicy,
  DeadlinePolicySettings,
} from '@otklik/calendar';
import { ALL_ORGS, callContext, newCorrelationId } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { DeadlinePolicyRepository, OrganizationPolicyRow } from './deadline-policy.repository';

/**
 * How long a replica keeps the policies it read. A change made in one replica is seen at once
 * there (the cache is dropped) and by every other replica within this time (docs/deadlines.md).
 */
export const DEADLINE_POLICY_CACHE_MS = 30_000;

/** The policy an organisation's deadlines follow, and where it comes from. */
export interface DeadlinePolicyInEffect {
  readonly organizationId: string;
  readonly policy: DeadlinePolicy;
  /** Whose own policy it is: the organisation's or its nearest ancestor's with one; null for the defaults. */
  readonly definedBy: string | null;
  readonly updatedBy: string | null;
  readonly updatedAt: Date | null;
}

interface OwnPolicy {
  readonly settings: DeadlinePolicySettings;
  readonly policy: DeadlinePolicy;
  readonly updatedBy: string;
  readonly updatedAt: Date;
}

interface Node {
  readonly parentId: string | null;
  readonly own: OwnPolicy | null;
}

/** Every organisation's policy at one moment: its own, else its nearest ancestor's, else the defaults. */
export class DeadlinePolicySnapshot {
  private readonly nodes = new Map<string, Node>();
  private readonly resolved = new Map<string, DeadlinePolicyInEffect>();

  /**
   * A stored policy that no longer validates (a bound tightened since) is skipped with a warning:
   * the organisation falls back to its ancestor's or the defaults rather than losing its deadlines.
   */
  constructor(rows: readonly OrganizationPolicyRow[], warn: (message: string) => void = () => undefined) {
    for (const row of rows) {
      let own: OwnPolicy | null = null;
      if (row.own) {
        try {
          own = { ...row.own, settings: row.own.policy, policy: deadlinePolicy(row.own.policy) };
        } catch (error) {
          if (!(error instanceof CalendarError)) throw error;
          warn(`the deadline policy of organisation ${row.organizationId} is ignored: ${error.message}`);
        }
      }
      this.nodes.set(row.organizationId, { parentId: row.parentId, own });
    }
  }

  has(organizationId: string): boolean {
    return this.nodes.has(organizationId);
  }

  /** The organisation's own policy as stored, or null when it has none. */
  ownSettingsOf(organizationId: string): DeadlinePolicySettings | null {
    return this.nodes.get(organizationId)?.own?.settings ?? null;
  }

  /** `organizationId` and every organisation above it, nearest first; empty for an unknown id. */
  pathOf(organizationId: string): string[] {
    const path: string[] = [];
    for (let id: string | null = organizationId; id && this.nodes.has(id) && !path.includes(id);) {
      path.push(id);
      id = this.nodes.get(id)?.parentId ?? null;
    }
    return path;
  }

  /** The policy in effect for the organisation; the defaults for one the snapshot does not know. */
  inEffect(organizationId: string): DeadlinePolicyInEffect {
    let found = this.resolved.get(organizationId);
    if (!found) {
      const definedBy = this.pathOf(organizationId).find((id) => this.nodes.get(id)?.own);
      const own = definedBy ? this.nodes.get(definedBy)?.own : undefined;
      found = {
        organizationId,
        policy: own?.policy ?? DEFAULT_DEADLINE_POLICY,
        definedBy: definedBy ?? null,
        updatedBy: own?.updatedBy ?? null,
        updatedAt: own?.updatedAt ?? null,
      };
      this.resolved.set(organizationId, found);
    }
    return found;
  }

  policyOf(organizationId: string): DeadlinePolicy {
    return this.inEffect(organizationId).policy;
  }

  /** The organisations whose deadlines follow `organizationId`'s own policy: it and those below it that inherit it. */
  governedBy(organizationId: string): string[] {
    return [...this.nodes.keys()].filter((id) => this.inEffect(id).definedBy === organizationId);
  }
}

/** The organisations' deadline policies in use, cached per replica (like the working calendar). */
@Injectable()
export class DeadlinePolicyService {
  private readonly logger = new Logger(DeadlinePolicyService.name);
  private cached?: { snapshot: Promise<DeadlinePolicySnapshot>; until: number };
  /** The cache's clock; tests may replace it. */
  now: () => number = () => Date.now();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly policies: DeadlinePolicyRepository,
  ) {}

  /**
   * The policies read at most DEADLINE_POLICY_CACHE_MS ago (or just after this replica changed
   * one); read again at once when they do not know `mustKnow`, an organisation added since.
   */
  async current(mustKnow?: string): Promise<DeadlinePolicySnapshot> {
    const now = this.now();
    if (this.cached && this.cached.until > now) {
      const snapshot = await this.cached.snapshot;
      if (!mustKnow || snapshot.has(mustKnow)) return snapshot;
    }
    const entry = { snapshot: this.load(), until: now + DEADLINE_POLICY_CACHE_MS };
    this.cached = entry;
    entry.snapshot.catch(() => {
      // A failed read is not cached: the next caller tries again.
      if (this.cached === entry) this.cached = undefined;
    });
    return entry.snapshot;
  }

  /** The policy the organisation's deadlines follow now. */
  async policyOf(organizationId: string): Promise<DeadlinePolicy> {
    return (await this.current(organizationId)).policyOf(organizationId);
  }

  /** The policies as the open transaction sees them (uncached: for the transaction that changes them). */
  async inTransaction(): Promise<DeadlinePolicySnapshot> {
    return new DeadlinePolicySnapshot(await this.policies.organizationsWithPolicies(), (message) =>
      this.logger.warn(message),
    );
  }

  /** Drops the cached policies; the next reader reads them again. */
  invalidate(): void {
    this.cached = undefined;
  }

  private load(): Promise<DeadlinePolicySnapshot> {
    // A sub-organisation follows its ancestors' policy, which its own viewers' scope does not
    // reach; and the cache serves every caller. System work, hence ALL_ORGS, in a transaction
    // of its own: a caller's open transaction (a narrower scope) is neither joined nor seen.
    const caller = callContext.current();
    return callContext.run(
      {
        correlationId: caller?.correlationId ?? newCorrelationId(),
        orgScope: ALL_ORGS,
        actor: caller?.actor ?? 'deadline-policies',
      },
      () => this.uow.runIsolated(() => this.inTransaction()),
    );
  }
}
