/** A growable list of int32s in one typed array: a number per state without a JS slot per state. */
export class IntList {
  private buf: Int32Array;
  private n = 0;

  constructor(capacity = 1024) {
    this.buf = new Int32Array(Math.max(16, capacity));
  }

  get length(): number {
    return this.n;
  }

  push(x: number): void {
    if (this.n === this.buf.length) {
      const bigger = new Int32Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.n++] = x;
  }

  get(i: number): number {
    return this.buf[i] as number;
  }

  set(i: number, x: number): void {
    this.buf[i] = x;
  }
}

/** Like IntList, for numbers past int32 (up to 2⁵³). */
export class NumList {
  private buf = new Float64Array(1024);
  private n = 0;

  get length(): number {
    return this.n;
  }

  /** Sets entry i, growing the list (new entries -1) to reach it. */
  set(i: number, x: number): void {
    while (i >= this.buf.length) {
      const bigger = new Float64Array(this.buf.length * 2).fill(-1);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    if (i >= this.n) {
      this.buf.fill(-1, this.n, i);
      this.n = i + 1;
    }
    this.buf[i] = x;
  }

  /** Entry i; -1 if never set. */
  get(i: number): number {
    return i < this.n ? (this.buf[i] as number) : -1;
  }
}
