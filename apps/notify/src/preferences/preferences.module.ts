import { Module } from '@nestjs/common';
import { PreferenceRepository } from './preference.repository';
import { PreferenceResolver } from './preference.resolver';
import { PreferenceService } from './preference.service';

@Module({
  providers: [PreferenceRepository, PreferenceService, PreferenceResolver],
  exports: [PreferenceService],
})
export class PreferencesModule {}
