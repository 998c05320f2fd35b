import { JunctionError } from '../../errors/JunctionError.js'

/** A fuzz step waited longer than it may for something the network should have done. */
export class FuzzStepTimeoutError extends JunctionError {
  override name = 'FuzzStepTimeoutError'
  constructor(what: string, timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}`, {
      details: 'The services (indexers, batcher, settlement, root importer) must run on this network; on a loaded machine try again.',
    })
  }
}

/**
 * A seed's valid call would not succeed before the fuzz: every refusal of its forgeries would then mean
 * nothing, so the run stops.
 */
export class SeedNotValidError extends JunctionError {
  override name = 'SeedNotValidError'
  constructor(seedId: string, cause: unknown) {
    super(`the seed "${seedId}" would not succeed before the fuzz: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`, {
      details: 'Its proof or its state went stale before the fuzz started (a root not imported, a chain moved): run again, and report it if it repeats.',
      cause,
    })
  }
}
