import { Module } from '@nestjs/common';
import { RecipientsModule } from '../recipients/recipients.module';
import { DemoSeed } from './demo.seed';

@Module({ imports: [RecipientsModule], providers: [DemoSeed] })
export class DemoModule {}
