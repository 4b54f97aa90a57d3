import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

/** A kind of event: its name (the last tokens of its subject), version and payload class. */
export interface EventType<P extends object> {
  readonly name: string;
  readonly version: number;
  readonly payload: new () => P;
}

export function defineEvent<P extends object>(name: string, version: number, payload: new () => P): EventType<P> {
  if (!/^[a-z_]+(\.[a-z_]+)+$/.test(name)) throw new Error(`event name "${name}" must be dotted lower-case words`);
  if (!Number.isInteger(version) || version < 1)
    throw new Error(`event version of "${name}" must be a positive integer`);
  return Object.freeze({ name, version, payload });
}

/**
 * What travels on NATS: the envelope is the same for every event; `data` is the
 * event's own payload, validated against its class when published and when received.
 */
export interface EventEnvelope<P extends object = Record<string, unknown>> {
  /** Unique per event; also the JetStream Nats-Msg-Id, so a republished event is dropped. */
  eventId: string;
  type: string;
  version: number;
  organizationId: string;
  occurredAt: string;
  correlationId: string;
  data: P;
}

/** Subject of an event: `<prefix>.<organizationId>.<name>.v<version>`. */
export function eventSubject(prefix: string, organizationId: string, type: EventType<object>): string {
  return `${prefix}.${organizationId}.${type.name}.v${type.version}`;
}

/** Subject filter matching one event type for every organisation. */
export function eventFilter(prefix: string, type: EventType<object>): string {
  return `${prefix}.*.${type.name}.v${type.version}`;
}

export class EventValidationError extends Error {
  constructor(
    readonly type: string,
    readonly problems: string[],
  ) {
    super(`invalid ${type} payload: ${problems.join('; ')}`);
    this.name = 'EventValidationError';
  }
}

/** Flattens class-validator's nested errors into "path: constraint" sentences. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((c) => `${path}: ${c}`);
    return [...own, ...describeValidationErrors(e.children ?? [], path)];
  });
}

/** Validates a payload (plain object or instance) against its event's class; returns the instance. */
export function validateEventPayload<P extends object>(type: EventType<P>, data: unknown): P {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new EventValidationError(type.name, ['data: must be an object']);
  }
  const instance = plainToInstance(type.payload, data);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: false });
  if (errors.length > 0) throw new EventValidationError(type.name, describeValidationErrors(errors));
  return instance;
}

/** Checks the envelope's own fields (the payload is checked by validateEventPayload). */
export function parseEnvelope(raw: unknown): EventEnvelope {
  const problems: string[] = [];
  const e = raw as Partial<EventEnvelope> | null;
  if (typeof e !== 'object' || e === null) throw new EventValidationError('envelope', ['not a JSON object']);
  for (const key of ['eventId', 'type', 'organizationId', 'occurredAt', 'correlationId'] as const) {
    if (typeof e[key] !== 'string' || e[key] === '') problems.push(`${key}: must be a non-empty string`);
  }
  if (!Number.isInteger(e.version)) problems.push('version: must be an integer');
  if (typeof e.data !== 'object' || e.data === null || Array.isArray(e.data)) problems.push('data: must be an object');
  if (problems.length > 0) throw new EventValidationError(String(e.type ?? 'envelope'), problems);
  return e as EventEnvelope;
}
