import type { Hex } from 'viem'
import { JunctionError } from '../../errors/JunctionError.js'
import type { JunctionIndex } from '../JunctionIndex.js'
import { getMessageStatus, type GetMessageStatusReturnType } from './getMessageStatus.js'

/** Parameters of {@link waitForMessage}. */
export type WaitForMessageParameters = {
  bundleHash: Hex
  /** Give up after this long. Default 60 000 ms. */
  timeoutMs?: number
  /** Wait between checks. Default 50 ms. */
  pollMs?: number
}

/** The message did not execute in time. */
export class MessageTimeoutError extends JunctionError {
  override name = 'MessageTimeoutError'
  constructor(bundleHash: Hex, last: GetMessageStatusReturnType, timeoutMs: number) {
    super(`message ${bundleHash} was not executed within ${timeoutMs} ms (last status: ${last.status}${last.failure ? `: ${last.failure}` : ''})`, {
      details: 'Check that the services run (`junction status`), or execute it yourself with executeMessage.',
    })
  }
}

/**
 * Waits until a message is executed on its destination and resolves with its status.
 *
 * @example
 * ```ts
 * const status = await waitForMessage(index, { bundleHash, timeoutMs: 30_000 })
 * ```
 */
export async function waitForMessage(index: JunctionIndex, parameters: WaitForMessageParameters): Promise<GetMessageStatusReturnType> {
  const timeoutMs = parameters.timeoutMs ?? 60_000
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const status = await getMessageStatus(index, { bundleHash: parameters.bundleHash, simulate: false })
    if (status.status === 'executed') return status
    if (Date.now() > deadline) throw new MessageTimeoutError(parameters.bundleHash, await getMessageStatus(index, { bundleHash: parameters.bundleHash }), timeoutMs)
    await new Promise((r) => setTimeout(r, parameters.pollMs ?? 50))
  }
}
