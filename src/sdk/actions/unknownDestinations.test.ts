// The SDK refuses, before sending anything, what only the manifest can tell would burn value: a bundle,
// message or token transfer to a chain id the network does not have, and a token transfer to L1. The
// wallet's RPC is a closed port: reaching it would fail otherwise than with the refusal.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createWalletClient, http, stringToHex, type Address } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { NetworkManifest } from '../../network/types.js'
import { encodeInteropCallValueAttribute } from '../../protocol/index.js'
import { junctionActions } from '../junctionActions.js'
import type { JunctionIndex } from '../JunctionIndex.js'
import { ChainNotFoundError } from '../loadManifest.js'
import { sendBundle } from './sendBundle.js'
import { sendMessage } from './sendMessage.js'
import { transfer } from './transfer.js'

const at = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as Address
const manifest = {
  l1: { name: 'l1', chainId: 31337, rpcUrl: 'http://127.0.0.1:9' },
  chains: [
    { name: 'alpha', chainId: 271, rpcUrl: 'http://127.0.0.1:9' },
    { name: 'beta', chainId: 272, rpcUrl: 'http://127.0.0.1:9' },
  ],
  l2Contracts: { interopCenter: at(1), l2AssetRouter: at(2), interopHandler: at(3) },
} as unknown as NetworkManifest
const wallet = createWalletClient({ account: privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'), transport: http('http://127.0.0.1:9', { retryCount: 0 }) })

/** Asserts a ChainNotFoundError naming `chain` and listing the network's destinations. */
const unknownChain = (chain: string, listed: RegExp) => (error: unknown) => {
  assert.ok(error instanceof ChainNotFoundError, `expected ChainNotFoundError, got ${String(error)}`)
  assert.match(error.message, new RegExp(`unknown chain "${chain}"`))
  assert.match(error.details ?? '', listed)
  return true
}

describe('the SDK refuses destinations the network does not have, before sending', () => {
  test('a bundle or a message to an unknown chain id, also through the bound actions', async () => {
    const known = /l1 \(31337\), alpha \(271\), beta \(272\)/
    const call = { to: at(9), data: '0x' as const, attributes: [encodeInteropCallValueAttribute(5n)] }
    await assert.rejects(sendBundle(wallet, { destinationChainId: 999, calls: [call], interopCenter: at(1), manifest }), unknownChain('999', known))
    await assert.rejects(sendMessage(wallet, { recipient: { chainId: 999, address: at(9) }, payload: '0x01', interopCenter: at(1), manifest }), unknownChain('999', known))
    // The bound actions' index is never read here: nothing is sent.
    const bound = wallet.extend(junctionActions({ manifest, index: {} as JunctionIndex }))
    await assert.rejects(bound.sendBundle({ destinationChainId: 273n, calls: [call] }), unknownChain('273', known))
    await assert.rejects(bound.sendMessage({ recipient: { chainId: 1, address: at(9) }, payload: stringToHex('hi') }), unknownChain('1', known))
  })

  test('a token transfer to L1 or to an unknown chain', async () => {
    const parameters = { manifest, assetId: `0x${'11'.repeat(32)}` as const, amount: 1n }
    await assert.rejects(transfer(wallet, { ...parameters, destinationChainId: 31337 }), (error: unknown) => {
      assert.ok(error instanceof ChainNotFoundError)
      assert.match(error.details ?? '', /withdraw the token to move it to L1/)
      return true
    })
    await assert.rejects(transfer(wallet, { ...parameters, destinationChainId: 274 }), unknownChain('274', /alpha \(271\), beta \(272\)/))
  })

  test('a known destination goes on to the chain (here: a closed port, so it fails there instead)', async () => {
    await assert.rejects(sendBundle(wallet, { destinationChainId: 272, calls: [{ to: at(9), data: '0x' }], interopCenter: at(1), manifest }), (error: unknown) => !(error instanceof ChainNotFoundError))
  })
})
