import { AppError } from '@otklik/service-kit';

/** What the read log refuses, with a message the coordinator can act on. */
export class PersonalDataException extends AppError {
  static badInput(problem: string): PersonalDataException {
    return new PersonalDataException('BAD_USER_INPUT', problem);
  }
}
