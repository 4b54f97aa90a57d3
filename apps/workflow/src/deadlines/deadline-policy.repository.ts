import { Injectable } from '@nestjs/common';
import type { DeadlinePolicySettings } from '@otklik/calendar';
import { UnitOfWork } from '@otklik/persistence';
import { DeadlinePolicyChangeEntity } from './deadline-policy-change.entity';
import { DeadlinePolicyEntity } from './deadline-policy.entity';

/** An organisation of the tree with its own deadline policy, when it has one. */
export interface OrganizationPolicyRow {
  organizationId: string;
  parentId: string | null;
  own: { policy: DeadlinePolicySettings; updatedBy: string; updatedAt: Date } | null;
}

interface Row {
  id: string;
  parent_id: string | null;
  policy: DeadlinePolicySettings | null;
  updated_by: string | null;
  updated_at: Date | null;
}

/** The organisations' own deadline policies and the audit of their changes. */
@Injectable()
export class DeadlinePolicyRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Serialises policy changes until the transaction ends, so each audit row sees its true predecessor. */
  async lockPolicies(): Promise<void> {
    await this.uow.manager.query(`select pg_advisory_xact_lock(hashtext('workflow.deadline_policies'))`);
  }

  /** Every organisation in the scope, with its parent and its own policy (none when it inherits). */
  async organizationsWithPolicies(): Promise<OrganizationPolicyRow[]> {
    const rows = await this.uow.manager.query<Row[]>(
      `select o.id, o.parent_id, p.policy, p.updated_by, p.updated_at
         from workflow.organizations o
         left join workflow.deadline_policies p on p.organization_id = o.id`,
    );
    return rows.map((r) => ({
      organizationId: r.id,
      parentId: r.parent_id,
      own:
        r.policy && r.updated_by && r.updated_at
          ? { policy: r.policy, updatedBy: r.updated_by, updatedAt: r.updated_at }
          : null,
    }));
  }

  /** Inserts the organisation's policy or replaces its stored one. */
  async upsertPolicy(policy: DeadlinePolicyEntity): Promise<void> {
    await this.uow.manager.upsert(DeadlinePolicyEntity, policy, ['organizationId']);
  }

  async appendChange(change: DeadlinePolicyChangeEntity): Promise<void> {
    await this.uow.manager.insert(DeadlinePolicyChangeEntity, change);
  }
}
