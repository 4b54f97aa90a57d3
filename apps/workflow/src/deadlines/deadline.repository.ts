import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import { OrganizationEntity } from '../organizations/organization.entity';
import { DeadlineEntity } from './deadline.entity';
import type { DeadlineKind } from './deadline.policy';

/** A deadline whose timer has just been claimed: what its event reports. */
export interface FiredDeadline {
  id: string;
  caseId: string;
  organizationId: string;
  kind: DeadlineKind;
  dueAt: Date;
  responsibleUserId: string | null;
  firedAt: Date;
}

interface FiredRow {
  id: string;
  case_id: string;
  organization_id: string;
  kind: DeadlineKind;
  due_at: Date;
  responsible_user_id: string | null;
  fired_at: Date;
}

/** The two timers: which open deadlines are due to fire, ordered by, and marked fired in, which columns. */
const TIMERS = {
  atRisk: { due: 'at_risk_at <= now()', order: 'at_risk_at', fired: 'at_risk_fired_at' },
  breached: { due: 'due_at < now()', order: 'due_at', fired: 'breached_fired_at' },
} as const;

export type DeadlineTimer = keyof typeof TIMERS;

/** An open deadline as a recompute reads it: its clock, and what its deadline.rescheduled reports. */
export interface OpenDeadline {
  id: string;
  caseId: string;
  organizationId: string;
  kind: DeadlineKind;
  startedAt: Date;
  dueAt: Date;
  /** Null for a deadline opened before the timers' migration. */
  atRiskAt: Date | null;
  responsibleUserId: string | null;
  /** The organisation's time zone, on whose clock the deadline's working time is counted. */
  timeZone: string;
}

interface OpenRow {
  id: string;
  case_id: string;
  organization_id: string;
  kind: DeadlineKind;
  started_at: Date;
  due_at: Date;
  at_risk_at: Date | null;
  responsible_user_id: string | null;
  time_zone: string;
}

/** New moments of an open deadline. */
export interface Rescheduling {
  id: string;
  dueAt: Date;
  atRiskAt: Date;
}

/**
 * Deadlines per rescheduling UPDATE: one statement per row cost 0.38 ms each
 * (docs/benchmarks.md); a few thousand per statement keep each one's arrays small.
 */
export const RESCHEDULE_BATCH = 5_000;

const RESCHEDULE = `
  update workflow.deadlines d
     set due_at = c.due_at,
         at_risk_at = c.at_risk_at,
         at_risk_fired_at = case when c.at_risk_at > now() then null else d.at_risk_fired_at end,
         breached_fired_at = case when c.due_at >= now() then null else d.breached_fired_at end
    from unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) as c (id, due_at, at_risk_at)
   where d.id = c.id and d.state = 'ON_TRACK'
  returning d.id`;

/** The parameters of each rescheduling UPDATE: ids, due and at-risk moments as parallel arrays, in order. */
export function rescheduleBatches(
  changes: readonly Rescheduling[],
  size: number = RESCHEDULE_BATCH,
): Array<[string[], string[], string[]]> {
  const batches: Array<[string[], string[], string[]]> = [];
  for (let start = 0; start < changes.length; start += size) {
    const batch = changes.slice(start, start + size);
    batches.push([
      batch.map((c) => c.id),
      batch.map((c) => c.dueAt.toISOString()),
      batch.map((c) => c.atRiskAt.toISOString()),
    ]);
  }
  return batches;
}

export interface DeadlineWithZone {
  deadline: DeadlineEntity;
  /** The organisation's time zone, on whose clock the deadline's working time is counted. */
  timeZone: string;
}

@Injectable()
export class DeadlineRepository {
  constructor(private readonly uow: UnitOfWork) {}

  async insert(deadline: DeadlineEntity): Promise<void> {
    await this.uow.manager.insert(DeadlineEntity, deadline);
  }

  /** The deadlines of these cases with their organisations' time zones, oldest first. */
  async forCases(caseIds: readonly string[]): Promise<DeadlineWithZone[]> {
    const { entities, raw } = await this.uow.manager
      .createQueryBuilder(DeadlineEntity, 'd')
      .innerJoin(OrganizationEntity, 'o', 'o.id = d.organization_id')
      .addSelect('o.time_zone', 'time_zone')
      .where('d.case_id = any(:caseIds)', { caseIds: [...caseIds] })
      .orderBy('d.started_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .getRawAndEntities();
    const zones = new Map((raw as Array<{ d_id: string; time_zone: string }>).map((r) => [r.d_id, r.time_zone]));
    return entities.map((deadline) => ({ deadline, timeZone: zones.get(deadline.id) as string }));
  }

  /**
   * The open (ON_TRACK) deadlines that started or fall due in `year` on their organisation's
   * clock, with the organisation's zone.
   */
  openTouchingYear(year: number): Promise<OpenDeadline[]> {
    return this.open(
      `(extract(year from d.started_at at time zone o.time_zone) = $1
        or extract(year from d.due_at at time zone o.time_zone) = $1)`,
      [year],
    );
  }

  /** The open (ON_TRACK) deadlines of these organisations, with their zones. */
  openOf(organizationIds: readonly string[]): Promise<OpenDeadline[]> {
    return this.open('d.organization_id = any($1::uuid[])', [[...organizationIds]]);
  }

  /**
   * New moments of open deadlines, a batch of RESCHEDULE_BATCH per UPDATE. A fired timer that
   * would not fire at the new moment is re-armed: at_risk_fired_at is cleared when the new
   * at_risk_at is still ahead, breached_fired_at when the new due_at is not past (the timers'
   * own conditions, on the database's clock). A deadline settled meanwhile is left alone.
   * Returns the ids of the deadlines rescheduled.
   */
  async rescheduleMany(changes: readonly Rescheduling[]): Promise<Set<string>> {
    const rescheduled = new Set<string>();
    for (const batch of rescheduleBatches(changes)) {
      const [rows] = await this.uow.manager.query<[Array<{ id: string }>, number]>(RESCHEDULE, batch);
      for (const row of rows) rescheduled.add(row.id);
    }
    return rescheduled;
  }

  private async open(condition: string, parameters: unknown[]): Promise<OpenDeadline[]> {
    const rows = await this.uow.manager.query<OpenRow[]>(
      `select d.id, d.case_id, d.organization_id, d.kind, d.started_at, d.due_at, d.at_risk_at,
              d.responsible_user_id, o.time_zone
         from workflow.deadlines d
         join workflow.organizations o on o.id = d.organization_id
        where d.state = 'ON_TRACK' and ${condition}
        order by d.started_at, d.id`,
      parameters,
    );
    return rows.map((r) => ({
      id: r.id,
      caseId: r.case_id,
      organizationId: r.organization_id,
      kind: r.kind,
      startedAt: r.started_at,
      dueAt: r.due_at,
      atRiskAt: r.at_risk_at,
      responsibleUserId: r.responsible_user_id,
      timeZone: r.time_zone,
    }));
  }

  /**
   * Settles the case's open deadlines of these kinds at `at` (see DeadlineService.settle); the
   * responsible person is recorded when given and none was. Returns them as settled.
   */
  async settleOpen(
    caseId: string,
    kinds: readonly DeadlineKind[],
    at: Date,
    outcome: 'done' | 'cancelled',
    responsibleUserId?: string,
  ): Promise<DeadlineEntity[]> {
    if (kinds.length === 0) return [];
    const state = outcome === 'cancelled' ? `'CANCELLED'` : `case when $3 <= due_at then 'MET' else 'MISSED' end`;
    const [rows] = await this.uow.manager.query<[Array<{ id: string }>, number]>(
      `update workflow.deadlines
          set state = ${state}, met_at = $3,
              responsible_user_id = coalesce(responsible_user_id, $4::uuid)
        where case_id = $1 and kind = any($2) and state = 'ON_TRACK'
        returning id`,
      [caseId, [...kinds], at, responsibleUserId ?? null],
    );
    return rows.length === 0 ? [] : this.uow.manager.findBy(DeadlineEntity, { id: In(rows.map((r) => r.id)) });
  }

  async setResponsible(caseId: string, kinds: readonly DeadlineKind[], userId: string): Promise<void> {
    await this.uow.manager.update(
      DeadlineEntity,
      { caseId, kind: In([...kinds]), state: 'ON_TRACK' },
      { responsibleUserId: userId },
    );
  }

  /** The kinds of the case's open deadlines. */
  async openKindsOf(caseId: string): Promise<DeadlineKind[]> {
    const rows = await this.uow.manager.find(DeadlineEntity, {
      select: { kind: true },
      where: { caseId, state: 'ON_TRACK' },
    });
    return rows.map((r) => r.kind);
  }

  async moveCase(caseId: string, organizationId: string): Promise<void> {
    await this.uow.manager.update(DeadlineEntity, { caseId }, { organizationId });
  }

  /**
   * Claims up to `limit` open deadlines whose `timer` is due and not yet fired, oldest first,
   * and marks them fired (now()) in the open transaction. SKIP LOCKED lets replicas claim
   * side by side without waiting; the fired column makes a row claimable once.
   */
  async claimDue(timer: DeadlineTimer, limit: number): Promise<FiredDeadline[]> {
    const { due, order, fired } = TIMERS[timer];
    const [rows] = await this.uow.manager.query<[FiredRow[], number]>(
      `update workflow.deadlines d set ${fired} = now()
        where d.id in (
          select id from workflow.deadlines
           where state = 'ON_TRACK' and ${fired} is null and ${due}
           order by ${order} limit $1 for update skip locked)
        returning d.id, d.case_id, d.organization_id, d.kind, d.due_at, d.responsible_user_id, d.${fired} as fired_at`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      caseId: r.case_id,
      organizationId: r.organization_id,
      kind: r.kind,
      dueAt: r.due_at,
      responsibleUserId: r.responsible_user_id,
      firedAt: r.fired_at,
    }));
  }
}
