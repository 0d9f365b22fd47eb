// What a bfs shard records of the graph it explored, so that shards merge into exactly the
// numbers one unsharded search reports (see merge.ts). Flat Int32 rows:
//
// states: hi, lo (fingerprint), depth (states on the shortest path this shard found, initial
//         states 1), outDegree (successors generated when the state was expanded here, -1 when
//         it was not), parentHi, parentLo (the state it was first reached from; 0, 0 for an
//         initial state), action (index in the parent's `actions` list; an initial state's index
//         among the initial states)
// beyond: for states at the depth bound, each successor this shard had not seen: the state's
//         row, the successor's hi, lo, and its 1-based position among the state's generated
//         successors

export const STATE_FIELDS = 7;
export const BEYOND_FIELDS = 4;

export const F_HI = 0;
export const F_LO = 1;
export const F_DEPTH = 2;
export const F_OUT = 3;
export const F_PARENT_HI = 4;
export const F_PARENT_LO = 5;
export const F_ACTION = 6;

export interface StateRecords {
  readonly states: Int32Array;
  readonly beyond: Int32Array;
}

/** Rows of `width` Int32 words in one growable array. */
export class IntRows {
  private buf: Int32Array;
  private n = 0;

  constructor(
    readonly width: number,
    expected = 1024,
  ) {
    this.buf = new Int32Array(Math.max(1, expected) * width);
  }

  get length(): number {
    return this.n;
  }

  /** Appends a zeroed row; returns its index. */
  add(): number {
    if ((this.n + 1) * this.width > this.buf.length) {
      const bigger = new Int32Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    return this.n++;
  }

  get(row: number, field: number): number {
    return this.buf[row * this.width + field] as number;
  }

  set(row: number, field: number, v: number): void {
    this.buf[row * this.width + field] = v;
  }

  /** The rows written so far (a view; copy it before adding more rows). */
  view(): Int32Array {
    return this.buf.subarray(0, this.n * this.width);
  }
}
