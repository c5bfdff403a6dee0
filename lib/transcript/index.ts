/** The transcript model and its parser, shared by the browser and the server. */
export * from './types';
export { parseTranscript, parseDate, TranscriptParseError, UNTITLED, type ParseOptions } from './parse';
