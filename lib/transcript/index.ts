/** The transcript model, its readers and the preview's edits, shared by the browser and the server. */
export * from './types';
export { parseTranscript, parseDate, TranscriptParseError, UNTITLED, type ParseOptions } from './parse';
export { parseVtt } from './vtt';
export { parseSrt } from './srt';
export {
  parseTranscriptText,
  parseTranscriptFile,
  formatOfFile,
  ImportError,
  DEFAULT_MAX_IMPORT_BYTES,
  ACCEPTED_EXTENSIONS,
  type TranscriptFormat,
} from './detect';
export { assembleTranscript, type TurnDraft } from './structure';
export { renameSpeaker, mergeSpeakers, setSpeakerRole, mergeTurnIntoPrevious, splitTurn, assignTurn, EditError } from './edit';
