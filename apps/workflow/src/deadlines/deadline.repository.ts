import { Injectable } from '@nestjs/common';
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
  async openTouchingYear(year: number): Promise<DeadlineWithZone[]> {
    const { entities, raw } = await this.uow.manager
      .createQueryBuilder(DeadlineEntity, 'd')
      .innerJoin(OrganizationEntity, 'o', 'o.id = d.organization_id')
      .addSelect('o.time_zone', 'time_zone')
      .where(`d.state = 'ON_TRACK'`)
      .andWhere(
        `(extract(year from d.started_at at time zone o.time_zone) = :year
          or extract(year from d.due_at at time zone o.time_zone) = :year)`,
        { year },
      )
      .orderBy('d.started_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .getRawAndEntities();
    const zones = new Map((raw as Array<{ d_id: string; time_zone: string }>).map((r) => [r.d_id, r.time_zone]));
    return entities.map((deadline) => ({ deadline, timeZone: zones.get(deadline.id) as string }));
  }

  /** New moments of an open deadline; its fired_at columns stay as they are. */
  async reschedule(id: string, dueAt: Date, atRiskAt: Date): Promise<void> {
    await this.uow.manager.update(DeadlineEntity, { id }, { dueAt, atRiskAt });
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
