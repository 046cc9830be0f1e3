export { Match, Matcher, MatchResult } from './match';
export * from './template';
