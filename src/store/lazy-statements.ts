/**
 * Statements prepared on first use. A store module lists its statements as functions that prepare them; a process
 * that uses a few of them (one unit's status, one CLI command) does not pay for preparing the others.
 */

/** An object with the same keys whose values are made (once) when first read. */
export function lazily<T extends Record<string, () => unknown>>(makers: T): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const out: Record<string, unknown> = {};
  for (const [name, make] of Object.entries(makers)) {
    Object.defineProperty(out, name, {
      configurable: true,
      enumerable: true,
      get() {
        const value = make();
        Object.defineProperty(out, name, { value, enumerable: true });
        return value;
      },
    });
  }
  return out as { readonly [K in keyof T]: ReturnType<T[K]> };
}
