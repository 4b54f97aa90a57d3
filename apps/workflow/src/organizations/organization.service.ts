import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';
import { isKnownTimeZone } from '@otklik/calendar';
import { OrganizationEntity } from './organization.entity';
import { OrganizationException } from './organization.exception';
import { NewOrganization, OrganizationRepository } from './organization.repository';

/** Organisations of the district; what a caller sees of them is its row-level-security scope. */
@Injectable()
export class OrganizationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly organizations: OrganizationRepository,
  ) {}

  /** Every organisation in the caller's scope, by code. */
  visible(): Promise<OrganizationEntity[]> {
    return this.uow.run(() => this.organizations.findAll());
  }

  byId(id: string): Promise<OrganizationEntity | null> {
    return this.uow.run(() => this.organizations.findById(id));
  }

  byIds(ids: readonly string[]): Promise<OrganizationEntity[]> {
    return this.uow.run(() => this.organizations.findByIds(ids));
  }

  any(): Promise<boolean> {
    return this.uow.run(() => this.organizations.any());
  }

  /** Adds an organisation unless it exists (same id or code); true when added. */
  create(organization: NewOrganization): Promise<boolean> {
    if (!isKnownTimeZone(organization.timeZone)) {
      throw OrganizationException.badInput(
        `time zone "${organization.timeZone}" of organisation ${organization.code} is not an IANA zone (e.g. Asia/Barnaul)`,
      );
    }
    return this.uow.run(() => this.organizations.insertIfNew(organization));
  }
}
