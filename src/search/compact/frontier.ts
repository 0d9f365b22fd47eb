// The explorer's frontier in compact form: each entry (a state as the integers its codec makes of
// it, and what the search keeps with it) a record of words, stored as LEB128 varints in flat
// byte chunks, off the JS heap and with no object per entry. FIFOs for breadth-first search,
// LIFOs for depth-first.

import type { StateCodec } from '../../kernel/model.js';

const CHUNK = 1 << 20;

/** Appends `words` (non-negative integers below 2⁵³) to `buf` at `at` as varints, after their count. */
function put(buf: Uint8Array, at: number, words: readonly number[]): number {
  let o = putUint(buf, at, words.length);
  for (let i = 0; i < words.length; i++) o = putUint(buf, o, words[i] as number);
  return o;
}

function putUint(buf: Uint8Array, at: number, x: number): number {
  let o = at;
  let v = x;
  while (v >= 0x80) {
    buf[o++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[o++] = v;
  return o;
}

/** Reads a record written by put() into `words`; returns the offset after it. */
function get(buf: Uint8Array, at: number, words: number[]): number {
  let o = at;
  const read = (): number => {
    let x = 0;
    let scale = 1;
    for (;;) {
      const b = buf[o++] as number;
      x += (b & 0x7f) * scale;
      if (b < 0x80) return x;
      scale *= 0x80;
    }
  };
  const n = read();
  words.length = n;
  for (let i = 0; i < n; i++) words[i] = read();
  return o;
}

/** Bytes put() may need for `words`. */
const bound = (words: readonly number[]): number => 8 * (words.length + 1);

/** Records of words in the order pushed, as varints in flat chunks; chunks already read are let go. */
export class WordQueue {
  private readonly chunks: { buf: Uint8Array; end: number }[] = [];
  private head = 0;
  private readAt = 0;
  private len = 0;
  private bytes = 0;

  get length(): number {
    return this.len;
  }

  /** Bytes the queued records take. */
  get size(): number {
    return this.bytes;
  }

  push(words: readonly number[]): void {
    const need = bound(words);
    let c = this.chunks[this.chunks.length - 1];
    if (c === undefined || c.end + need > c.buf.length) {
      c = { buf: new Uint8Array(Math.max(CHUNK, need)), end: 0 };
      this.chunks.push(c);
    }
    const end = put(c.buf, c.end, words);
    this.bytes += end - c.end;
    c.end = end;
    this.len++;
  }

  /** Reads the oldest record into `words`. */
  shift(words: number[]): void {
    if (this.len === 0) throw new Error('empty queue');
    let c = this.chunks[this.head] as { buf: Uint8Array; end: number };
    if (this.readAt === c.end) {
      this.chunks[this.head++] = { buf: new Uint8Array(0), end: 0 };
      this.readAt = 0;
      c = this.chunks[this.head] as { buf: Uint8Array; end: number };
    }
    const at = this.readAt;
    this.readAt = get(c.buf, at, words);
    this.bytes -= this.readAt - at;
    this.len--;
  }
}

/** Records of words, last in first out, as varints in one growable buffer. */
export class WordStack {
  private buf = new Uint8Array(1 << 16);
  private top = 0;
  private readonly starts: number[] = [];

  get length(): number {
    return this.starts.length;
  }

  get size(): number {
    return this.top;
  }

  push(words: readonly number[]): void {
    const need = bound(words);
    if (this.top + need > this.buf.length) {
      const bigger = new Uint8Array(Math.max(2 * this.buf.length, this.top + need));
      bigger.set(this.buf.subarray(0, this.top));
      this.buf = bigger;
    }
    this.starts.push(this.top);
    this.top = put(this.buf, this.top, words);
  }

  /** Reads the newest record into `words` and drops it. */
  pop(words: number[]): void {
    const at = this.starts.pop();
    if (at === undefined) throw new Error('empty stack');
    get(this.buf, at, words);
    this.top = at;
  }
}

/**
 * Records of words addressed by the position append() returned, as varints in flat chunks; past
 * `budget` bytes the oldest chunks are let go, and a record in one of them reads as absent.
 */
export class WordLog {
  private readonly chunks: (Uint8Array | null)[] = [];
  private end = 0;
  private live = 0;
  private first = 0;

  constructor(private readonly budget: number) {}

  /** Where the record starts: its chunk times CHUNK plus its offset (a record starts below CHUNK). */
  append(words: readonly number[]): number {
    const need = bound(words);
    let c = this.chunks[this.chunks.length - 1];
    if (c === undefined || c === null || this.end + need > c.length) {
      c = new Uint8Array(Math.max(CHUNK, need));
      this.chunks.push(c);
      this.end = 0;
      this.live += c.length;
      while (this.live > this.budget && this.first < this.chunks.length - 1) {
        this.live -= (this.chunks[this.first] as Uint8Array).length;
        this.chunks[this.first++] = null;
      }
    }
    const at = (this.chunks.length - 1) * CHUNK + this.end;
    this.end = put(c, this.end, words);
    return at;
  }

  /** Reads the record at `at` into `words`; false if it was let go. */
  read(at: number, words: number[]): boolean {
    const c = this.chunks[Math.floor(at / CHUNK)];
    if (c === undefined || c === null) return false;
    get(c, at % CHUNK, words);
    return true;
  }
}

/** States in discovery order, compact. */
export class CompactQueue<S> {
  private readonly q = new WordQueue();
  private readonly words: number[] = [];

  constructor(private readonly codec: StateCodec<S>) {}

  get length(): number {
    return this.q.length;
  }

  push(s: S): void {
    const w = this.words;
    w.length = this.codec.encode(s, w, 0);
    this.q.push(w);
  }

  shift(): S {
    this.q.shift(this.words);
    return this.codec.decode(this.words, 0);
  }
}

/** States last in, first out, compact, each with two numbers of the caller's (id, level). */
export class CompactStack<S> {
  private readonly st = new WordStack();
  private readonly words: number[] = [];
  id = 0;
  level = 0;

  constructor(private readonly codec: StateCodec<S>) {}

  get length(): number {
    return this.st.length;
  }

  push(s: S, id: number, level: number): void {
    const w = this.words;
    w[0] = id;
    w[1] = level;
    w.length = this.codec.encode(s, w, 2);
    this.st.push(w);
  }

  /** Pops the top state; its id and level are then in `id` and `level`. */
  pop(): S {
    const w = this.words;
    this.st.pop(w);
    this.id = w[0] as number;
    this.level = w[1] as number;
    return this.codec.decode(w, 2);
  }
}
