import type { StaffAccessChange } from './staff-access.service';
import { StaffAccessChangeModel } from './staff-access.model';

export function toStaffAccessChangeModel(change: StaffAccessChange): StaffAccessChangeModel {
  return Object.assign(new StaffAccessChangeModel(), change);
}
