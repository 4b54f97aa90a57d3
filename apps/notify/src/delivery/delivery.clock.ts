import { Injectable } from '@nestjs/common';

/**
 * The time the delivery schedule and worker go by: the system clock, which a test may set to a
 * chosen moment (a weekday evening, the next morning) and which then runs on from there.
 */
@Injectable()
export class DeliveryClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** From now on the clock reads `at`, and runs on from there. */
  setTo(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
}
