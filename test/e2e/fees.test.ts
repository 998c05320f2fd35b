// End to end, on real chains with every service running and a relayer that requires fees (docs/fees.md):
// gas prices posted on L1 reach a chain with the roots it imports; a message sent without executionGasLimit
// is skipped, cannot be topped up, and is self-relayed; one sent with it and 0 wei, or underpaid, is skipped,
// then delivered once topped up; the relayer claims the
// fee on the source chain with a proof of its execution, and the status shows who was paid.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { stringToHex, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { join } from 'node:path'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { openStore } from '../../src/store/openStore.js'
import * as c from '../../src/contracts/generated/index.js'
import { DEFAULT_GAS_PRICE_WEI } from '../../src/chain/deployNetwork.js'
import { GasPriceUnknownError, JunctionIndex, junctionActions } from '../../src/sdk/index.js'
import { eventually, rejectsWith } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let index: JunctionIndex
let alpha: ChainConnection
let beta: ChainConnection
let userKey: Hex
let relayer: Address

before(async () => {
  network = await startTestNetwork({ relayerFeePolicy: 'require' })
  // The services' own store: it holds the relayer's deliveries (why it skips a message).
  index = new JunctionIndex(network.manifest, { store: openStore(join(network.dataDir, 'junction.db')), syncFromChains: false })
  alpha = new ChainConnection(chainNamed(network, 'alpha'))
  beta = new ChainConnection(chainNamed(network, 'beta'))
  userKey = network.manifest.accounts.users[0]!.privateKey
  relayer = privateKeyToAccount(network.manifest.accounts.relayer.privateKey).address
})
after(async () => {
  await network?.close()
})

const wallet = (chain: ChainConnection, key: Hex = userKey) => walletFor(chainNamed(network, chain.name), key).extend(junctionActions({ manifest: network.manifest, index }))
const handlerStatus = (chain: ChainConnection, bundle: Hex) =>
  chain.client.readContract({ address: network.manifest.l2Contracts.interopHandler, abi: c.interopHandlerAbi, functionName: 'bundleStatus', args: [bundle] })
/** The status of `bundleHash` once the relayer claimed its fee on alpha. */
const claimedOnAlpha = (bundleHash: Hex) =>
  eventually(
    'the relayer to claim the fee on alpha',
    async () => {
      const status = await wallet(alpha).getMessageStatus({ bundleHash, simulate: false })
      return status.fee?.claimed ? status : undefined
    },
    { timeoutMs: 60_000 },
  )
/** Sends `text` from alpha to beta with executionGasLimit (the quoted gas) and 0 wei; resolves once the relayer skipped it, with why. */
async function sendPayingZeroWei(text: string) {
  const recipient = network.manifest.l2Contracts.exampleRecipient
  const payload = stringToHex(text)
  const quote = await wallet(alpha).estimateInteropFee({ destinationChainId: beta.chainId, calls: [{ to: recipient, data: payload }] })
  const sent = await wallet(alpha).sendMessage({ recipient: { chainId: beta.chainId, address: recipient }, payload, fee: { fee: 0n, gasLimit: quote.gasLimit } })
  const skipped = await eventually('the relayer to skip the message paying 0 wei', async () => (await wallet(alpha).getMessageStatus({ bundleHash: sent.bundleHash, simulate: false })).skipped, { timeoutMs: 45_000 })
  return { quote, sent, skipped }
}

test('a message sent without executionGasLimit is skipped by the relayer, says why, cannot be topped up, and is executed by whoever pays its gas', async () => {
  const onAlpha = wallet(alpha)
  // Alpha knows no price until it imports a root: a quote is refused by name.
  await rejectsWith(onAlpha.estimateInteropFee({ destinationChainId: beta.chainId, calls: [{ to: network.manifest.l2Contracts.exampleRecipient, data: '0x01' }] }), GasPriceUnknownError.name).catch((error) => {
    // A root may already have reached alpha (the network's own messages); then the quote simply works.
    if (!(error instanceof assert.AssertionError)) throw error
  })
  const sent = await wallet(beta).sendMessage({ recipient: { chainId: alpha.chainId, address: network.manifest.l2Contracts.exampleRecipient }, payload: stringToHex('free') })
  const skipped = await eventually('the relayer to skip the unpaid message', async () => (await onAlpha.getMessageStatus({ bundleHash: sent.bundleHash, simulate: false })).skipped, { timeoutMs: 45_000 })
  assert.match(skipped, /paid no fee/)
  assert.equal(await handlerStatus(alpha, sent.bundle), 0, 'not executed by the relayer')
  // No fee record: a top-up is refused, so it stays self-relay only.
  await rejectsWith(wallet(beta).topUpFee({ bundleHash: sent.bundleHash, destinationChainId: alpha.chainId, amount: 10n ** 15n }), 'NoFee')
  assert.equal((await onAlpha.getMessageStatus({ bundleHash: sent.bundleHash, simulate: false })).fee, undefined)
  // The root that proves it brought L1's posted prices to alpha.
  const [price] = await alpha.client.readContract({ address: network.manifest.l2Contracts.interopRootStore, abi: c.interopRootStoreAbi, functionName: 'gasPrice', args: [BigInt(beta.chainId)] })
  assert.equal(price, DEFAULT_GAS_PRICE_WEI)
  await onAlpha.executeMessage({ bundleHash: sent.bundleHash })
  assert.equal(await handlerStatus(alpha, sent.bundle), 2, 'self-relayed')
})

test('a message sent with executionGasLimit and 0 wei has a fee record: skipped as underpaid, then delivered once a top-up covers it', async () => {
  const onAlpha = wallet(alpha)
  const { quote, sent, skipped } = await sendPayingZeroWei('paid later')
  assert.match(skipped, new RegExp(`pays 0 wei, its execution costs ${quote.fee} wei`))
  // The status (once the services indexed the send) shows the record of 0 wei.
  assert.deepEqual((await onAlpha.getMessageStatus({ bundleHash: sent.bundleHash, simulate: false })).fee, { paid: 0n, gasLimit: quote.gasLimit, claimed: false })
  assert.equal(await handlerStatus(beta, sent.bundle), 0)
  const { total } = await wallet(alpha, network.manifest.accounts.users[1]!.privateKey).topUpFee({ bundleHash: sent.bundleHash, destinationChainId: beta.chainId, amount: quote.fee })
  assert.equal(total, quote.fee)
  await eventually('delivery after the top-up', async () => ((await handlerStatus(beta, sent.bundle)) === 2 ? true : undefined), { timeoutMs: 60_000 })
})

test('the relayer claims the fee of a bundle its key executed outside its process, as after a restart: the claim comes from the execution record on chain, not from its memory', async () => {
  const { quote, sent } = await sendPayingZeroWei('executed by hand')
  // The relayer's key executes it, but not through the running relayer (which skipped it).
  await wallet(beta, network.manifest.accounts.relayer.privateKey).executeMessage({ bundleHash: sent.bundleHash })
  assert.equal(await handlerStatus(beta, sent.bundle), 2)
  // A top-up after the execution: now there is a fee to claim, and the execution record names the relayer's key.
  await wallet(alpha, network.manifest.accounts.users[1]!.privateKey).topUpFee({ bundleHash: sent.bundleHash, destinationChainId: beta.chainId, amount: quote.fee })
  const status = await claimedOnAlpha(sent.bundleHash)
  assert.deepEqual(status.fee, { paid: quote.fee, gasLimit: quote.gasLimit, claimed: true, claimedBy: relayer })
})

test('an underpaid message is skipped, delivered after a top-up, and its fee claimed by the relayer on the source chain', async () => {
  const onAlpha = wallet(alpha)
  const recipient = network.manifest.l2Contracts.exampleRecipient
  const payload = stringToHex('paid delivery')
  const quote = await onAlpha.estimateInteropFee({ destinationChainId: beta.chainId, calls: [{ to: recipient, data: payload }] })
  assert.ok(quote.fee > 0n && quote.gasLimit > 60_000n)
  const underpaid = { fee: quote.fee / 2n, gasLimit: quote.gasLimit }
  const sent = await onAlpha.sendMessage({ recipient: { chainId: beta.chainId, address: recipient }, payload, fee: underpaid })
  const skipped = await eventually('the relayer to skip the underpaid message', async () => (await onAlpha.getMessageStatus({ bundleHash: sent.bundleHash, simulate: false })).skipped, { timeoutMs: 45_000 })
  assert.match(skipped, new RegExp(`pays ${underpaid.fee} wei, its execution costs ${quote.fee} wei`))
  assert.equal(await handlerStatus(beta, sent.bundle), 0)

  // Anyone tops it up on the source chain.
  const stranger = network.manifest.accounts.users[1]!.privateKey
  const { total } = await wallet(alpha, stranger).topUpFee({ bundleHash: sent.bundleHash, destinationChainId: beta.chainId, amount: quote.fee - underpaid.fee })
  assert.equal(total, quote.fee)
  await eventually('delivery after the top-up', async () => ((await handlerStatus(beta, sent.bundle)) === 2 ? true : undefined), { timeoutMs: 60_000 })
  const relayerBefore = await alpha.client.getBalance({ address: relayer })

  // The claim needs a root on alpha covering beta's batch with the execution record: alpha's importer imports
  // one for the unclaimed fee (no other message needs it), then the relayer claims.
  const status = await claimedOnAlpha(sent.bundleHash)
  assert.deepEqual(status.fee, { paid: quote.fee, gasLimit: quote.gasLimit, claimed: true, claimedBy: relayer })
  assert.equal(status.status, 'executed')
  assert.equal(await alpha.client.getBalance({ address: relayer }), relayerBefore + quote.fee, 'the relayer was paid the whole fee on the source chain')
  assert.deepEqual(network.serviceErrors, [])
})
