export * from './text-length';
export * from './platform-limits';
export * from './draft-preview';
export * from './inbound';
export * from './outbound';
export * from './egress';
