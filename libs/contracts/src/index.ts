import 'reflect-metadata';
export * from './event';
export * from './platform';
export * from './events/message-accepted.event';
export * from './events/case-opened.event';
export * from './events/staff-appointed.event';
export * from './events/notification-created.event';
export * from './headers';
