import { findUnguardedResolvers } from '@otklik/auth';
import { PersonalDataReadResolver } from './personal-data-read.resolver';

describe('guarded by default (STYLE.md §10)', () => {
  it('personalDataReads states who may call it', () => {
    expect(findUnguardedResolvers([PersonalDataReadResolver])).toEqual([]);
  });
});
