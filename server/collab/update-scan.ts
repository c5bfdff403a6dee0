import * as decoding from 'lib0/decoding';

/**
 * A bounds-checking reader for Yjs updates (format v1) that runs before Yjs sees one.
 *
 * `Y.applyUpdate` may integrate part of a malformed update before it throws, and its
 * cost grows with the number of structs and deleted ranges: a 4 MiB update of tiny
 * structs takes most of a second. This reader walks the same layout as Yjs's
 * `LazyStructReader` and `readDeleteSet` without building any struct, stops as soon
 * as the update declares more parts than allowed, and refuses anything Yjs would
 * choke on, so that one message stays far below 200 ms of event-loop time.
 */

/** What a valid update holds. */
export interface UpdateSummary {
  /** Structs (items, GC and skip ranges). */
  structs: number;
  /** Deleted ranges in the delete set. */
  deletes: number;
}

/** Why an update was refused: its bytes are not a valid update, or it has more parts than allowed. */
export class UpdateRejected extends Error {
  constructor(
    readonly reason: 'invalid' | 'too_complex',
    message: string,
  ) {
    super(message);
    this.name = 'UpdateRejected';
  }
}

// Item info byte: the low 5 bits name the content, the high 3 flag origin, right origin and parentSub.
const BITS5 = 0x1f;
const HAS_PARENT_SUB = 0x20;
const HAS_RIGHT_ORIGIN = 0x40;
const HAS_ORIGIN = 0x80;
const SKIP = 10;
const GC = 0;

const CONTENT_DELETED = 1;
const CONTENT_JSON = 2;
const CONTENT_BINARY = 3;
const CONTENT_STRING = 4;
const CONTENT_EMBED = 5;
const CONTENT_FORMAT = 6;
const CONTENT_TYPE = 7;
const CONTENT_ANY = 8;
const CONTENT_DOC = 9;

// Type refs of ContentType (Yjs `typeRefs`): 3 (XmlElement) and 5 (XmlHook) carry a name.
const MAX_TYPE_REF = 6;
const TYPE_XML_ELEMENT = 3;
const TYPE_XML_HOOK = 5;

function invalid(message: string): never {
  throw new UpdateRejected('invalid', message);
}

function readId(decoder: decoding.Decoder): void {
  checkSafe(decoding.readVarUint(decoder));
  checkSafe(decoding.readVarUint(decoder));
}

function checkSafe(n: number): number {
  if (!Number.isSafeInteger(n)) invalid('number out of range');
  return n;
}

function readJson(decoder: decoding.Decoder): void {
  JSON.parse(decoding.readVarString(decoder));
}

/** Reads an item's content and returns its length in clock units (what Yjs adds to the clock). */
function readContent(decoder: decoding.Decoder, ref: number): number {
  switch (ref) {
    case CONTENT_DELETED:
      return checkSafe(decoding.readVarUint(decoder));
    case CONTENT_JSON: {
      const len = checkSafe(decoding.readVarUint(decoder));
      for (let i = 0; i < len; i++) {
        const c = decoding.readVarString(decoder);
        if (c !== 'undefined') JSON.parse(c);
      }
      return len;
    }
    case CONTENT_BINARY:
      decoding.readVarUint8Array(decoder);
      return 1;
    case CONTENT_STRING:
      return decoding.readVarString(decoder).length;
    case CONTENT_EMBED:
      readJson(decoder);
      return 1;
    case CONTENT_FORMAT:
      decoding.readVarString(decoder);
      readJson(decoder);
      return 1;
    case CONTENT_TYPE: {
      const typeRef = decoding.readVarUint(decoder);
      if (typeRef > MAX_TYPE_REF) invalid(`unknown type ref ${typeRef}`);
      if (typeRef === TYPE_XML_ELEMENT || typeRef === TYPE_XML_HOOK) decoding.readVarString(decoder);
      return 1;
    }
    case CONTENT_ANY: {
      const len = checkSafe(decoding.readVarUint(decoder));
      for (let i = 0; i < len; i++) decoding.readAny(decoder);
      return len;
    }
    case CONTENT_DOC:
      // Parley's documents have no subdocuments; Yjs would create a Y.Doc for each one.
      return invalid('subdocuments are not accepted');
    default:
      return invalid(`unknown content ref ${ref}`);
  }
}

/**
 * Validates a v1 update and counts its parts; throws UpdateRejected('too_complex')
 * once structs plus deleted ranges exceed `maxItems`, and UpdateRejected('invalid')
 * for anything malformed (truncated, out-of-range numbers, unknown content).
 */
export function scanUpdate(update: Uint8Array, maxItems: number): UpdateSummary {
  let budget = maxItems;
  const spend = (n: number, what: string) => {
    budget -= n;
    if (budget < 0) throw new UpdateRejected('too_complex', `the update has more than ${maxItems} ${what}`);
  };
  try {
    const decoder = decoding.createDecoder(update);
    let structs = 0;
    const clients = checkSafe(decoding.readVarUint(decoder));
    for (let c = 0; c < clients; c++) {
      const count = checkSafe(decoding.readVarUint(decoder));
      // Refuse on the declared count, before reading a single struct of it.
      spend(count, 'structs and deleted ranges');
      checkSafe(decoding.readVarUint(decoder)); // client id
      let clock = checkSafe(decoding.readVarUint(decoder));
      for (let i = 0; i < count; i++) {
        if (!decoding.hasContent(decoder)) invalid('unexpected end of update');
        const info = decoding.readUint8(decoder);
        let length: number;
        if (info === SKIP) {
          length = checkSafe(decoding.readVarUint(decoder));
        } else if ((info & BITS5) !== GC) {
          if (info & HAS_ORIGIN) readId(decoder);
          if (info & HAS_RIGHT_ORIGIN) readId(decoder);
          const cantCopyParentInfo = (info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0;
          if (cantCopyParentInfo) {
            if (decoding.readVarUint(decoder) === 1) decoding.readVarString(decoder);
            else readId(decoder);
            if (info & HAS_PARENT_SUB) decoding.readVarString(decoder);
          }
          length = readContent(decoder, info & BITS5);
        } else {
          length = checkSafe(decoding.readVarUint(decoder));
        }
        clock = checkSafe(clock + length);
        structs += 1;
      }
    }
    let deletes = 0;
    const dsClients = checkSafe(decoding.readVarUint(decoder));
    for (let c = 0; c < dsClients; c++) {
      checkSafe(decoding.readVarUint(decoder)); // client id
      const count = checkSafe(decoding.readVarUint(decoder));
      spend(count, 'structs and deleted ranges');
      for (let i = 0; i < count; i++) {
        const clock = checkSafe(decoding.readVarUint(decoder));
        const len = checkSafe(decoding.readVarUint(decoder));
        checkSafe(clock + len);
      }
      deletes += count;
    }
    return { structs, deletes };
  } catch (err) {
    if (err instanceof UpdateRejected) throw err;
    // lib0 throws on truncation and huge varints, JSON.parse on bad JSON, readAny on unknown tags, RangeError on deep nesting.
    throw new UpdateRejected('invalid', (err as Error).message || String(err));
  }
}
