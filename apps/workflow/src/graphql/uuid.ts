const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a client-given id can be a row id at all (PostgreSQL would reject it with a type error). */
export const isUuid = (value: string): boolean => UUID.test(value);
