export * from './demo-district';
