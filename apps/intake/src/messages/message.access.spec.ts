import type { Viewer } from '@otklik/auth';
import type { Role } from '@otklik/contracts';
import { mayReadMessage } from './message.access';

const DISTRICT = 'district';
const VILLAGE = 'village';
const OTHER_VILLAGE = 'other-village';

const viewer = (roles: Array<[Role, string]>, visible: string[]): Viewer => ({
  userId: 'u',
  login: 'u',
  displayName: 'U',
  roles: roles.map(([role, organizationId]) => ({ role, organizationId })),
  visibleOrganizationIds: visible,
});

describe('message(id): staff read their organisations’ messages; an executor only through the cases assigned to them', () => {
  it('a district official reads the district’s messages and those of a sel’sovet below', () => {
    const official = viewer([['OFFICIAL', DISTRICT]], [DISTRICT, VILLAGE, OTHER_VILLAGE]);
    expect(mayReadMessage(official, DISTRICT)).toBe(true);
    expect(mayReadMessage(official, VILLAGE)).toBe(true);
  });

  it('no one reads a message of an organisation they do not see', () => {
    expect(mayReadMessage(viewer([['OFFICIAL', VILLAGE]], [VILLAGE]), OTHER_VILLAGE)).toBe(false);
    expect(mayReadMessage(viewer([['HEAD', VILLAGE]], [VILLAGE]), DISTRICT)).toBe(false);
  });

  it('an executor reads no message by id, in their organisation or below', () => {
    const executor = viewer([['EXECUTOR', DISTRICT]], [DISTRICT, VILLAGE]);
    expect(mayReadMessage(executor, DISTRICT)).toBe(false);
    expect(mayReadMessage(executor, VILLAGE)).toBe(false);
  });

  it('an executor who is also the reception there reads like the reception', () => {
    const both = viewer(
      [
        ['EXECUTOR', DISTRICT],
        ['RECEPTION', DISTRICT],
      ],
      [DISTRICT, VILLAGE],
    );
    expect(mayReadMessage(both, VILLAGE)).toBe(true);
  });

  it('an organisation an EXECUTOR role alone may be what shows is refused rather than guessed about', () => {
    // Executor in the district, official in a sel'sovet: the other sel'sovet is seen only as the executor.
    const mixed = viewer(
      [
        ['EXECUTOR', DISTRICT],
        ['OFFICIAL', VILLAGE],
      ],
      [DISTRICT, VILLAGE, OTHER_VILLAGE],
    );
    expect(mayReadMessage(mixed, VILLAGE)).toBe(true);
    expect(mayReadMessage(mixed, OTHER_VILLAGE)).toBe(false);
  });
});
