export * from './criticality';
export {
  bundledLexicon,
  loadLexicon,
  CriticalityLexiconError,
  CRITICAL_KINDS,
  NOT_CRITICAL_KINDS,
  SIGNAL_KINDS,
} from './lexicon';
export type { CriticalKind, Lexicon, NotCriticalKind, SignalKind } from './lexicon';
