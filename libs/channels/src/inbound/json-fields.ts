import { createHash } from 'node:crypto';

/**
 * Reading a platform's JSON without trusting its shape: a field of the wrong type reads as absent,
 * so one odd field never throws in the middle of a delivery.
 */
export type JsonObject = Readonly<Record<string, unknown>>;

/** The body as a JSON object, or undefined when it is not one. */
export function parseJsonObject(body: Uint8Array): JsonObject | undefined {
  try {
    return objectAt(JSON.parse(Buffer.from(body).toString('utf8')));
  } catch {
    return undefined;
  }
}

export function objectAt(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/**
 * `record[key]` when the record has that key itself: a key from a platform's JSON ("constructor",
 * "toString") never reaches Object.prototype's functions.
 */
export function ownAt<T>(record: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

export function arrayAt(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string, or a number written as one (platforms send ids either way). */
export function stringAt(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function numberAt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** An ISO 8601 instant from Unix seconds, Unix milliseconds (by size) or a date string. */
export function isoAt(value: unknown): string | undefined {
  const number = numberAt(value);
  if (number !== undefined) return isoOfTime(number < 1e11 ? number * 1000 : number);
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return isoOfTime(parsed);
  }
  return undefined;
}

/**
 * Milliseconds since 1970 as ISO 8601 with a four-digit year, as the event contracts read it; none
 * for a time outside the years 0–9999 (`+275760-09-13T…`, or past what Date can hold at all).
 */
export function isoOfTime(milliseconds: number): string | undefined {
  const date = new Date(milliseconds);
  if (Number.isNaN(date.getTime())) return undefined;
  const year = date.getUTCFullYear();
  return year >= 0 && year <= 9999 ? date.toISOString() : undefined;
}

/** For platforms that give a delivery no id of its own: the same bytes again are the same delivery. */
export function bodyDigest(body: Uint8Array): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}
