import { findUnguardedResolvers } from '@otklik/auth';
import { RegistrationResolver } from '../registration/registration.resolver';
import { ScreeningResolver } from '../screening/screening.resolver';
import { MessageResolver } from './message.resolver';

describe('guarded by default (STYLE.md §10)', () => {
  it('every root field of the message, screening and registration resolvers states who may call it', () => {
    expect(findUnguardedResolvers([MessageResolver, ScreeningResolver, RegistrationResolver])).toEqual([]);
  });
});
