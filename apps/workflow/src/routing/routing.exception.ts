import { AppError } from '@otklik/service-kit';

/** What routing suggestions refuse, with a message the person can act on. */
export class RoutingException extends AppError {
  static badInput(message: string): RoutingException {
    return new RoutingException('BAD_USER_INPUT', message);
  }

  static notFound(message: string): RoutingException {
    return new RoutingException('NOT_FOUND', message);
  }

  static forbidden(message: string): RoutingException {
    return new RoutingException('FORBIDDEN', message);
  }
}
