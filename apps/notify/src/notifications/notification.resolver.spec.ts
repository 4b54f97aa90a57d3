import { findUnguardedResolvers } from '@otklik/auth';
import { NotificationResolver } from './notification.resolver';

describe('notification resolver', () => {
  it('every query and mutation states who may call it (STYLE.md §10)', () => {
    expect(findUnguardedResolvers([NotificationResolver])).toEqual([]);
  });
});
