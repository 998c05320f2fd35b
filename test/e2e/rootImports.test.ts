// Root imports as part of block production, counted at the node: once a destination's importer has had an import
// of a settlement layer's roots mined, it imports that layer's newer roots without looking each up on the chain
// first (an `interopRoot` call was a round trip on every message's path), and the messages are still delivered.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { toFunctionSelector, type Hex } from 'viem'
import { sentBundlesOf } from '../../src/indexer/sentBundles.js'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { formatInteroperableAddress } from '../../src/protocol/index.js'
import { JunctionIndex, waitForMessage } from '../../src/sdk/index.js'
import { chainNamed, startTestNetwork } from '../support/testNetwork.js'

const INTEROP_ROOT = toFunctionSelector('interopRoot(uint256,uint256)').slice(2)

let network: Awaited<ReturnType<typeof startTestNetwork>>
/** `interopRoot` calls sent to each node, by its URL without a trailing slash (counted where viem's HTTP transport sends them). */
const lookups = new Map<string, number>()
const fetch = globalThis.fetch

before(async () => {
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const body = String(init?.body ?? '')
    const url = String(input).replace(/\/$/, '')
    if (body.includes('"eth_call"') && body.includes(INTEROP_ROOT)) lookups.set(url, (lookups.get(url) ?? 0) + 1)
    return fetch(input, init)
  }) as typeof fetch
  network = await startTestNetwork({ privateChains: 0 })
})

after(async () => {
  await network?.close()
  globalThis.fetch = fetch
})

test('after its first import mined, a destination imports newer roots of that layer with no lookup, and every message is delivered', async () => {
  const alphaInfo = chainNamed(network, 'alpha')
  const betaInfo = chainNamed(network, 'beta')
  const alpha = new ChainConnection(alphaInfo)
  const index = new JunctionIndex(network.manifest)
  const userKey = network.manifest.accounts.users[0]!.privateKey
  const { interopCenter } = network.manifest.l2Contracts
  const { address: standardRecipient } = await new ChainConnection(betaInfo).deploy(userKey, { abi: c.standardRecipientAbi, bytecode: c.standardRecipientBytecode, args: [interopCenter], action: 'deploy StandardRecipient' })
  const recipient = formatInteroperableAddress({ chainId: BigInt(betaInfo.chainId), address: standardRecipient })
  const send = async (payload: Hex) => {
    const receipt = await alpha.write(userKey, { address: interopCenter, abi: c.ierc7786GatewaySourceAbi, functionName: 'sendMessage', args: [recipient, payload, []] })
    const [sent] = sentBundlesOf(receipt.logs, interopCenter)
    await waitForMessage(index, { bundleHash: sent!.bundleHash, timeoutMs: 60_000 })
  }
  await send('0x01')
  const before = lookups.get(betaInfo.rpcUrl) ?? 0
  assert.ok(before >= 1, `the first import was looked up on the chain (lookups: ${JSON.stringify([...lookups])}, beta ${betaInfo.rpcUrl})`)
  for (const payload of ['0x02', '0x03', '0x04'] as const) await send(payload)
  assert.equal(lookups.get(betaInfo.rpcUrl) ?? 0, before, 'three more messages, three more roots imported, no lookup')
  assert.deepEqual(network.serviceErrors.filter((e) => /RootAlreadySet/.test(e)), [])
})
