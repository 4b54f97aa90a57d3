export * from './public-address';
export * from './egress.policy';
export * from './guarded-fetch';
