import type { Abi } from 'viem'

type AbiError = Extract<Abi[number], { type: 'error' }>
import { toFunctionSignature } from 'viem'
import * as generated from '../contracts/generated/index.js'

/** Every custom error of every Junction contract, once: used to decode any revert reason. */
export const allErrorsAbi: Abi = (() => {
  const seen = new Map<string, AbiError>()
  for (const [name, value] of Object.entries(generated)) {
    if (!name.endsWith('Abi') || !Array.isArray(value)) continue
    for (const item of value as Abi) {
      if (item.type !== 'error') continue
      const signature = toFunctionSignature(item as never)
      if (!seen.has(signature)) seen.set(signature, item)
    }
  }
  return [...seen.values()]
})()
