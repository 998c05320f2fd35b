import { watch } from 'node:fs'
import { basename, dirname } from 'node:path'

/**
 * Calls `onChange` when the SQLite store at `path` is written, by this process or another one sharing
 * it (a `junction services --relay-only` beside a `junction services --no-relay`, the block producer of
 * `junction up` beside the services of another process): every commit writes the store's WAL, and the
 * folder is watched for it (inotify on Linux: told, no polling). Calls made within one turn of the event
 * loop are folded into one. A watch that fails is reported to `onError` and ends. Returns a function that
 * stops watching.
 *
 * @example
 * ```ts
 * const unwatch = watchStore('.junction/junction.db', () => relayer.wake())
 * unwatch()
 * ```
 */
export function watchStore(path: string, onChange: () => void, onError: (error: unknown) => void = () => {}): () => void {
  const file = basename(path)
  let scheduled = false
  const watcher = watch(dirname(path), { persistent: false }, (_event, name) => {
    if (name !== null && !name.startsWith(file)) return
    if (scheduled) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      onChange()
    })
  })
  // A watch that fails (the folder removed under a stopping network) stops telling: said to `onError`.
  watcher.on('error', (error) => {
    watcher.close()
    onError(error)
  })
  return () => watcher.close()
}
