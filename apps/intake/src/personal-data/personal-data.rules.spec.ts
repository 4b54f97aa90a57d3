import type { Viewer } from '@otklik/auth';
import { auditedOrganizations, decodeReadsCursor, encodeReadsCursor } from './personal-data.rules';

const DISTRICT = '0b6f4a5e-0000-4000-8000-000000000001';
const VILLAGE = '0b6f4a5e-0000-4000-8000-000000000002';
const OTHER = '0b6f4a5e-0000-4000-8000-000000000003';

const viewer = (roles: Viewer['roles'], visible: string[]): Viewer => ({
  userId: 'u',
  login: 'u',
  displayName: 'u',
  roles,
  visibleOrganizationIds: visible,
});

describe('who may read the log of personal-data reads: a COORDINATOR, of their organisations and below', () => {
  it('a district coordinator sees the log of the district and the villages below it', () => {
    expect(
      auditedOrganizations(viewer([{ organizationId: DISTRICT, role: 'COORDINATOR' }], [DISTRICT, VILLAGE])),
    ).toEqual([DISTRICT, VILLAGE]);
  });

  it('with another role as well, only the organisations where they are COORDINATOR (below cannot be told apart)', () => {
    const both = viewer(
      [
        { organizationId: DISTRICT, role: 'COORDINATOR' },
        { organizationId: OTHER, role: 'OFFICIAL' },
      ],
      [DISTRICT, VILLAGE, OTHER],
    );
    expect(auditedOrganizations(both)).toEqual([DISTRICT]);
  });

  it('an official sees none', () => {
    expect(auditedOrganizations(viewer([{ organizationId: DISTRICT, role: 'OFFICIAL' }], [DISTRICT, VILLAGE]))).toEqual(
      [],
    );
  });
});

describe('the log’s cursors', () => {
  it('round-trip, and anything else is not one', () => {
    const cursor = { at: new Date('2026-11-27T01:15:00.123Z'), id: '3f0c2c4e-0000-4000-8000-00000000000a' };
    expect(decodeReadsCursor(encodeReadsCursor(cursor))).toEqual(cursor);
    expect(decodeReadsCursor('not a cursor')).toBeNull();
    expect(
      decodeReadsCursor(
        Buffer.from(JSON.stringify(['UNCASED', cursor.at.toISOString(), cursor.id])).toString('base64url'),
      ),
    ).toBeNull();
  });
});
