import type { Viewer } from '@otklik/auth';
import {
  checkAuthorKey,
  checkErasureGrounds,
  coordinatedOrganizations,
  exportedReads,
  recordingOrganization,
} from './author-data.rules';

const DISTRICT = '0b6f4a5e-0000-4000-8000-000000000001';
const SELSOVET = '0b6f4a5e-0000-4000-8000-000000000011';
const OTHER = '0b6f4a5e-0000-4000-8000-000000000021';

const viewer = (roles: Viewer['roles'], visible: string[]): Viewer => ({
  userId: 'u1',
  login: 'someone',
  displayName: 'Someone',
  roles,
  visibleOrganizationIds: visible,
});

describe('whose authors a coordinator may export and erase', () => {
  it('a coordinator alone: the organisation and everything they see below it', () => {
    expect(
      coordinatedOrganizations(viewer([{ organizationId: DISTRICT, role: 'COORDINATOR' }], [DISTRICT, SELSOVET])),
    ).toEqual([DISTRICT, SELSOVET]);
  });

  it('a coordinator who holds another role elsewhere: only where they coordinate (the other role may be what reaches the rest)', () => {
    const mixed = viewer(
      [
        { organizationId: SELSOVET, role: 'COORDINATOR' },
        { organizationId: OTHER, role: 'OFFICIAL' },
      ],
      [SELSOVET, OTHER],
    );
    expect(coordinatedOrganizations(mixed)).toEqual([SELSOVET]);
    expect(recordingOrganization(mixed)).toBe(SELSOVET);
  });

  it('no coordinator role: nothing, and no organisation to record an erasure under (FORBIDDEN)', () => {
    const official = viewer([{ organizationId: DISTRICT, role: 'OFFICIAL' }], [DISTRICT, SELSOVET]);
    expect(coordinatedOrganizations(official)).toEqual([]);
    expect(() => recordingOrganization(official)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});

describe('what a request must name', () => {
  it('a platform of the list and the author’s id, trimmed', () => {
    expect(checkAuthorKey({ platform: 'VK', authorId: ' id42 ' })).toEqual({ platform: 'VK', authorId: 'id42' });
    expect(() => checkAuthorKey({ platform: 'MYSPACE', authorId: 'id42' })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'platform' } }),
    );
    expect(() => checkAuthorKey({ platform: 'VK', authorId: '  ' })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'authorId' } }),
    );
    expect(() => checkAuthorKey({ platform: 'VK', authorId: 'x'.repeat(501) })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'authorId' } }),
    );
  });

  it('an erasure: a reason and the request’s reference, both kept', () => {
    expect(checkErasureGrounds({ reason: ' отзыв согласия ', requestReference: ' №1 ' })).toEqual({
      reason: 'отзыв согласия',
      requestReference: '№1',
    });
    expect(() => checkErasureGrounds({ reason: '', requestReference: '№1' })).toThrow(
      expect.objectContaining({ details: { field: 'reason' } }),
    );
    expect(() => checkErasureGrounds({ reason: 'why', requestReference: ' ' })).toThrow(
      expect.objectContaining({ details: { field: 'requestReference' } }),
    );
  });
});

describe('an export is a read of the author’s data, logged per message (152-FZ)', () => {
  it('names the author’s fields it hands out, and EXPORT for the rest of the message', () => {
    const message = (id: string, author: { id?: string; name?: string; url?: string } | null) => ({
      id,
      organizationId: DISTRICT,
      author,
    });
    expect(
      exportedReads([
        message('m1', { id: 'id42', name: 'Иван Петров', url: 'https://vk.com/id42' }),
        message('m2', { id: 'id42' }),
        message('m3', null),
      ]).map((r) => [r.messageId, r.organizationId, r.field]),
    ).toEqual([
      ['m1', DISTRICT, 'AUTHOR_ID'],
      ['m1', DISTRICT, 'AUTHOR_NAME'],
      ['m1', DISTRICT, 'AUTHOR_URL'],
      ['m1', DISTRICT, 'EXPORT'],
      ['m2', DISTRICT, 'AUTHOR_ID'],
      ['m2', DISTRICT, 'EXPORT'],
      ['m3', DISTRICT, 'EXPORT'],
    ]);
  });
});
