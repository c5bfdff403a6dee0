import { randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * A minimal websocket client for the load generator: one TCP socket, frames
 * parsed in place, no per-message events or copies. A full client (`ws`) spends
 * several times more CPU per message, and with hundreds of thousands of messages
 * a second on one core the generator, not the server, would set the pace.
 * Binary messages only; pings are answered; frames the server fragments are joined.
 */
export interface RawSocketHandlers {
  onOpen(): void;
  /** One binary message; `payload` is only valid during the call. */
  onMessage(payload: Buffer, at: number): void;
  onClose(code: number, reason: string): void;
}

const OPCODE_CONTINUATION = 0x0;
const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;

// Client frames must be masked; an all-zero mask key leaves the payload as it is, so no copy is needed.
const ZERO_MASK = Buffer.alloc(4);

function frameHeader(opcode: number, length: number): Buffer {
  if (length < 126) return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | length]), ZERO_MASK]);
  if (length < 65536) {
    const header = Buffer.alloc(8);
    header[0] = 0x80 | opcode;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.alloc(14);
  header[0] = 0x80 | opcode;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

/** A client websocket on a plain TCP connection (ws:// only). */
export class RawSocket {
  private readonly socket: net.Socket;
  private open = false;
  private closed = false;
  private handshake: Buffer | null = Buffer.alloc(0);
  /** Bytes received that do not yet make a whole frame header. */
  private pending: Buffer | null = null;
  /** The frame being filled when its payload spans several chunks. */
  private partial: { opcode: number; fin: boolean; payload: Buffer; filled: number } | null = null;
  /** Earlier fragments of a fragmented message. */
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;

  constructor(
    url: string,
    private readonly handlers: RawSocketHandlers,
  ) {
    const u = new URL(url);
    if (u.protocol !== 'ws:') throw new Error(`raw sockets speak ws:// only, not ${u.protocol}`);
    this.socket = net.connect({ host: u.hostname, port: Number(u.port || 80) });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => {
      this.socket.write(
        `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', () => this.finish(1006, 'socket error'));
    this.socket.on('close', () => this.finish(1006, 'connection closed'));
  }

  get isOpen(): boolean {
    return this.open && !this.closed;
  }

  /** Sends one binary message. */
  send(data: Uint8Array): void {
    if (!this.isOpen) return;
    const payload = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.socket.cork();
    this.socket.write(frameHeader(OPCODE_BINARY, payload.length));
    this.socket.write(payload);
    this.socket.uncork();
  }

  /** Drops the connection at once (no closing handshake). */
  terminate(): void {
    this.socket.destroy();
    this.finish(1006, 'terminated');
  }

  private finish(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.handlers.onClose(code, reason);
  }

  private receive(chunk: Buffer): void {
    const at = performance.now();
    if (this.handshake) {
      const all = Buffer.concat([this.handshake, chunk]);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) {
        this.handshake = all;
        return;
      }
      const status = all.toString('latin1', 0, all.indexOf('\r\n'));
      this.handshake = null;
      if (!/^HTTP\/1\.1 101/.test(status)) {
        this.finish(1002, status);
        return;
      }
      this.open = true;
      this.handlers.onOpen();
      chunk = all.subarray(end + 4);
      if (chunk.length === 0) return;
    }
    this.frames(chunk, at);
  }

  private frames(chunk: Buffer, at: number): void {
    let buf = chunk;
    let pos = 0;
    if (this.partial) {
      const p = this.partial;
      const take = Math.min(p.payload.length - p.filled, buf.length);
      buf.copy(p.payload, p.filled, 0, take);
      p.filled += take;
      pos = take;
      if (p.filled < p.payload.length) return;
      this.partial = null;
      this.deliver(p.opcode, p.fin, p.payload, at);
    } else if (this.pending) {
      buf = Buffer.concat([this.pending, buf]);
      this.pending = null;
    }
    while (pos < buf.length && !this.closed) {
      if (buf.length - pos < 2) break;
      const b0 = buf[pos];
      const b1 = buf[pos + 1];
      let length = b1 & 0x7f;
      let header = 2;
      if (length === 126) {
        if (buf.length - pos < 4) break;
        length = buf.readUInt16BE(pos + 2);
        header = 4;
      } else if (length === 127) {
        if (buf.length - pos < 10) break;
        length = Number(buf.readBigUInt64BE(pos + 2));
        header = 10;
      }
      // Servers never mask their frames.
      const start = pos + header;
      const opcode = b0 & 0x0f;
      const fin = (b0 & 0x80) !== 0;
      if (buf.length - start < length) {
        // A large frame: collect its payload in one buffer as the chunks come.
        const payload = Buffer.allocUnsafe(length);
        const have = buf.length - start;
        buf.copy(payload, 0, start);
        this.partial = { opcode, fin, payload, filled: have };
        return;
      }
      pos = start + length;
      this.deliver(opcode, fin, buf.subarray(start, pos), at);
    }
    if (pos < buf.length) this.pending = Buffer.from(buf.subarray(pos));
  }

  private deliver(opcode: number, fin: boolean, payload: Buffer, at: number): void {
    switch (opcode) {
      case OPCODE_BINARY:
      case OPCODE_CONTINUATION:
        if (opcode === OPCODE_BINARY) this.fragmentOpcode = opcode;
        if (!fin) {
          this.fragments.push(Buffer.from(payload));
          return;
        }
        if (this.fragments.length > 0) {
          this.fragments.push(payload);
          payload = Buffer.concat(this.fragments);
          this.fragments = [];
        }
        if (this.fragmentOpcode === OPCODE_BINARY) this.handlers.onMessage(payload, at);
        return;
      case OPCODE_PING:
        this.socket.cork();
        this.socket.write(frameHeader(OPCODE_PONG, payload.length));
        this.socket.write(Buffer.from(payload));
        this.socket.uncork();
        return;
      case OPCODE_CLOSE: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        const reason = payload.length > 2 ? payload.toString('utf8', 2) : '';
        // Answer the close so the server sees a clean end, then drop the socket.
        this.socket.write(Buffer.concat([frameHeader(OPCODE_CLOSE, Math.min(2, payload.length)), payload.subarray(0, 2)]));
        this.finish(code, reason);
        return;
      }
      default:
        // Text frames and pongs: the benchmark has no use for them.
        return;
    }
  }
}
