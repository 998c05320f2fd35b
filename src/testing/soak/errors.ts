import { JunctionError } from '../../errors/JunctionError.js'

/**
 * A fault was not simulated as it claims to be (a node restarted from its state came back at another
 * head): what the run would find afterwards would mean nothing, so it stops.
 */
export class SoakSimulationError extends JunctionError {
  override name = 'SoakSimulationError'
  constructor(what: string, cause?: unknown) {
    super(`the soak's fault was not what it claims: ${what}`, {
      details: 'A restarted node must keep every block it mined before it went down (anvil_dumpState while frozen, --load-state). Report it with the seed.',
      cause,
    })
  }
}

/** The soak's load could not be sent as planned (a send refused by its node for another reason than being down). */
export class SoakLoadError extends JunctionError {
  override name = 'SoakLoadError'
  constructor(what: string, cause?: unknown) {
    super(`the soak's load could not be sent: ${what}`, {
      details: 'The load is pre-signed sendMessage transactions; a node that refuses one (not a node that is down, which is retried) means the load, not Junction, is wrong.',
      cause,
    })
  }
}
