import { Args, Query, Resolver } from '@nestjs/graphql';
import { AnyViewer } from '@otklik/auth';
import { AppError } from '@otklik/service-kit';
import { ScreeningModel } from '../messages/message.model';
import { screeningOf } from '../messages/message.service';

/** Longest text screenText takes: far beyond any platform's message, short of a denial of service. */
export const MAX_SCREEN_TEXT = 20_000;

@Resolver(() => ScreeningModel)
export class ScreeningResolver {
  @Query(() => ScreeningModel, {
    name: 'screenText',
    description: 'What screening (cl. 11) finds in a text, with its evidence: for a draft, an import, a check',
  })
  @AnyViewer()
  screenText(@Args('text') text: string): ScreeningModel {
    if (text.length > MAX_SCREEN_TEXT) {
      throw new AppError(
        'BAD_USER_INPUT',
        `text is ${text.length} characters; screenText takes at most ${MAX_SCREEN_TEXT}`,
      );
    }
    return screeningOf(text);
  }
}
