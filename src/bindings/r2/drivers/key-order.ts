/**
 * Orders writes per key: a write to a key commits only after every earlier write to that key on
 * the same handle has settled, while writes to other keys go ahead. The body of a write is read
 * before its turn comes, so a slow upload delays only later writes of the same key.
 */
export class KeyOrder {
  /** The last write of each key that has not settled yet. */
  readonly #tails = new Map<string, Promise<void>>();
  readonly #pending = new Set<Promise<void>>();

  /**
   * Runs `fn` at once, handing it its `turn`: a promise that settles once every earlier write to
   * any of `keys` has settled. `fn` must commit only after awaiting it.
   */
  run<T>(keys: readonly string[], fn: (turn: Promise<void>) => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const earlier = unique.map((key) => this.#tails.get(key)).filter((p) => p !== undefined);
    const result = fn(Promise.all(earlier).then(() => undefined));
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.#pending.add(settled);
    for (const key of unique) this.#tails.set(key, settled);
    void settled.then(() => {
      this.#pending.delete(settled);
      for (const key of unique) if (this.#tails.get(key) === settled) this.#tails.delete(key);
    });
    return result;
  }

  /** Resolves once every write started so far has settled. */
  async idle(): Promise<void> {
    await Promise.all([...this.#pending]);
  }
}
