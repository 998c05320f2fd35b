// Small statistics helpers for the bench: percentiles and summaries of samples.

/** The p-th percentile (nearest rank) of an ascending array; 0 when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

/** Rounds to `digits` decimals. */
export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits

/** Count, p50, p95, p99 and max of samples (milliseconds or anything else). */
export type Summary = { count: number; p50: number; p95: number; p99: number; max: number; mean: number }

/** Summarises samples (in any order). */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b)
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0
  return { count: sorted.length, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? 0), mean: round(mean) }
}

/** Sleeps `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Events per `bucketMs` window from `start`, e.g. messages executed per second over a run. */
export function rateOverTime(times: readonly number[], start: number, bucketMs = 1_000): { t: number; perSecond: number }[] {
  if (times.length === 0) return []
  const end = Math.max(...times)
  const buckets = Array.from({ length: Math.max(1, Math.ceil((end - start) / bucketMs)) }, () => 0)
  for (const t of times) buckets[Math.min(buckets.length - 1, Math.max(0, Math.floor((t - start) / bucketMs)))]!++
  return buckets.map((n, i) => ({ t: round(((i + 1) * bucketMs) / 1000, 2), perSecond: round((n * 1000) / bucketMs) }))
}
