import type { Address, Client, Hex } from 'viem'
import { call } from 'viem/actions'
import { ContractRevertedError } from '../errors/ContractRevertedError.js'
import { explainRevert } from './ChainConnection.js'

/** Parameters of {@link explainMinedRevert}: the transaction that reverted, and where. */
export type ExplainMinedRevertParameters = {
  /** Its sender. */
  from: Address
  /** Its target (`undefined` for a contract creation, which is not replayed). */
  to: Address | undefined
  data: Hex
  value?: bigint | undefined
  /** Its hash. */
  hash: Hex
  /** The block it was mined in. */
  blockNumber: bigint
  /** Label used in the error, e.g. `depositETH`. */
  action: string
  /** The chain's name, used in the error. */
  chainName: string
}

/**
 * Why a transaction that passed gas estimation reverted once mined (the state changed in between, or it ran
 * out of gas): the call replayed on the state after its block. A revert is all the replay can change, so a
 * decoded reason is the transaction's, unless another transaction of that block changed the state again;
 * without a reason (e.g. out of gas) the error says only that it reverted, and its gas.
 *
 * @example
 * ```ts
 * if (receipt.status !== 'success') throw await explainMinedRevert(client, { from, to, data, hash, blockNumber: receipt.blockNumber, action: 'deposit', chainName: 'L1' })
 * ```
 */
export async function explainMinedRevert(client: Client, parameters: ExplainMinedRevertParameters): Promise<ContractRevertedError> {
  const { action, chainName, hash } = parameters
  const plain = new ContractRevertedError({ action, chainName, reason: `transaction ${hash} reverted on chain` })
  if (parameters.to === undefined) return plain
  try {
    await call(client, { account: parameters.from, to: parameters.to, data: parameters.data, value: parameters.value, blockNumber: parameters.blockNumber })
  } catch (error) {
    const explained = explainRevert(error, action, chainName)
    if (explained instanceof ContractRevertedError && explained.errorName !== undefined) return explained
  }
  return plain
}
