export * from './classifier';
export * from './evaluation';
export { DEFAULT_FEATURES, FeatureOptions, FeatureSpace, SparseVector } from './features';
export { DEFAULT_LINEAR, LinearKind, LinearOptions } from './linear';
export { normalise, stripHtml, words } from './normalise';
export { seededRandom } from './random';
export * from './zero-shot';
