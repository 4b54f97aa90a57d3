import { findUnguardedResolvers } from '@otklik/auth';
import { MessageResolver } from './message.resolver';

describe('guarded by default (STYLE.md §10)', () => {
  it('every root field of the message resolver states who may call it', () => {
    expect(findUnguardedResolvers([MessageResolver])).toEqual([]);
  });
});
