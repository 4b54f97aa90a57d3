import { findUnguardedResolvers } from '@otklik/auth';
import { ScreeningResolver } from '../screening/screening.resolver';
import { MessageResolver } from './message.resolver';

describe('guarded by default (STYLE.md §10)', () => {
  it('every root field of the message and screening resolvers states who may call it', () => {
    expect(findUnguardedResolvers([MessageResolver, ScreeningResolver])).toEqual([]);
  });
});
