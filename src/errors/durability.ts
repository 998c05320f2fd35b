import { JunctionError } from './JunctionError.js'

/**
 * A new network was asked for in a data dir that already holds one: it is never replaced silently.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof DataDirInUseError) console.error(e.details) }
 * ```
 */
export class DataDirInUseError extends JunctionError {
  override name = 'DataDirInUseError'
  readonly dataDir: string
  /** The Junction files found there. */
  readonly found: readonly string[]

  constructor({ dataDir, found }: { dataDir: string; found: readonly string[] }) {
    super(`${dataDir} already holds a network (${found.join(', ')}).`, {
      details: [
        '`junction up` resumes it; `junction up --fresh` moves it aside (into <data-dir>/previous/) and starts a new one;',
        'or choose another folder with --data-dir.',
      ].join('\n'),
    })
    this.dataDir = dataDir
    this.found = found
  }
}

/**
 * `junction up` found something in its data dir that it cannot resume: no network manifest, no
 * checkpoint that is whole, a manifest that changed since the checkpoints, or a node that came back
 * other than it was.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof CannotResumeError) console.error(e.problems.join('\n')) }
 * ```
 */
export class CannotResumeError extends JunctionError {
  override name = 'CannotResumeError'
  readonly dataDir: string
  /** Each thing that was wrong (one line each). */
  readonly problems: readonly string[]

  constructor({ dataDir, reason, problems = [], cause }: { dataDir: string; reason: string; problems?: readonly string[]; cause?: unknown }) {
    super(`Cannot resume the network in ${dataDir}: ${reason}.`, {
      details: [
        ...problems.map((problem) => `  - ${problem}`),
        ...(problems.length > 0 ? [''] : []),
        'Nothing was changed there. `junction up --fresh` moves its contents aside (into <data-dir>/previous/, to keep',
        'or delete) and starts a new network; or choose another folder with --data-dir.',
      ].join('\n'),
      cause,
    })
    this.dataDir = dataDir
    this.problems = problems
  }
}

/**
 * A checkpoint could not be taken (a chain did not answer, the disk refused the files). The network
 * runs on; the previous checkpoint stays the one a restart resumes from.
 *
 * @example
 * ```ts
 * checkpointer.onError = (e) => { if (e instanceof CheckpointFailedError) console.error(e.message) }
 * ```
 */
export class CheckpointFailedError extends JunctionError {
  override name = 'CheckpointFailedError'
  readonly step: string

  constructor({ step, cause }: { step: string; cause: unknown }) {
    super(`A checkpoint failed while it ${step}: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`, {
      details: 'The network runs on; a restart resumes from the previous checkpoint. The next one is tried at the next interval.',
      cause,
    })
    this.step = step
  }
}
