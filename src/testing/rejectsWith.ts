import assert from 'node:assert/strict'
import { ContractRevertedError } from '../errors/ContractRevertedError.js'

/**
 * Test helper: asserts that `promise` rejects with a {@link ContractRevertedError} whose decoded
 * custom error is `errorName`, and returns that error (its `errorArgs` hold the values).
 *
 * @example
 * ```ts
 * const error = await rejectsWith(chain.write(key, call), 'BundleAlreadyProcessed')
 * ```
 */
export async function rejectsWith(promise: Promise<unknown>, errorName: string): Promise<ContractRevertedError> {
  let caught: unknown
  try {
    await promise
  } catch (error) {
    caught = error
  }
  assert.ok(caught !== undefined, `expected a revert with ${errorName}, but the call succeeded`)
  assert.ok(caught instanceof ContractRevertedError, `expected a ContractRevertedError (${errorName}), got ${String(caught)}`)
  assert.equal(caught.errorName, errorName, `expected ${errorName}, got: ${caught.message}`)
  return caught
}
