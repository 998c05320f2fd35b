/** JSON with bigints kept as `{"$bigint":"…"}`: how structured values are stored in SQLite. */
export function toStoredJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v))
}

/** Inverse of {@link toStoredJson}. */
export function fromStoredJson<T = any>(text: string): T {
  return JSON.parse(text, (_key, v) => (v && typeof v === 'object' && typeof v.$bigint === 'string' ? BigInt(v.$bigint) : v)) as T
}
