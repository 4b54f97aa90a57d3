export * from './screening';
export { bundledLexicon, loadLexicon, Lexicon, ScreeningLexiconError } from './lexicon';
