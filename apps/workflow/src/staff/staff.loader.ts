import { Injectable } from '@nestjs/common';
import { byKeys, requestLoader } from '@otklik/service-kit';
import { StaffService } from './staff.service';
import { memberToModel } from './viewer.mapper';
import { ViewerModel } from './viewer.model';

const BY_USER_ID = Symbol('staff member by user id');

/** Members of staff by user id (a deadline's responsible person, a case's executor), batched per request. */
@Injectable()
export class StaffLoader {
  constructor(private readonly staff: StaffService) {}

  load(context: object, userId: string): Promise<ViewerModel | null> {
    return requestLoader<string, ViewerModel | null>(context, BY_USER_ID, async (ids) => {
      const members = await this.staff.membersByIds(ids);
      return byKeys(ids, members, (m) => m.user.id, null).map((m) => (m ? memberToModel(m) : null));
    }).load(userId);
  }
}
