import { JunctionError } from './JunctionError.js'

/**
 * A transaction or call to one of Junction's contracts reverted. `reason` is the decoded
 * custom error (`RootNotImported(31337, 42)`) or the raw revert data when it could not be decoded.
 *
 * @example
 * ```ts
 * if (e instanceof ContractRevertedError && e.errorName === 'BundleAlreadyProcessed') { ... }
 * ```
 */
export class ContractRevertedError extends JunctionError {
  override name = 'ContractRevertedError'
  readonly errorName: string | undefined
  readonly errorArgs: readonly unknown[] | undefined
  readonly reason: string

  constructor(parameters: { action: string; chainName: string; errorName?: string | undefined; errorArgs?: readonly unknown[] | undefined; reason: string; cause?: unknown }) {
    super(`${parameters.action} on ${parameters.chainName} reverted: ${parameters.reason}`, {
      cause: parameters.cause,
    })
    this.errorName = parameters.errorName
    this.errorArgs = parameters.errorArgs
    this.reason = parameters.reason
  }
}
