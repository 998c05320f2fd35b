// The Gateway end to end, on real chains: L1, a Gateway (itself a ZK chain settling on L1), alpha and
// beta settling on the Gateway, gamma settling on L1; every service running. Messages between Gateway
// chains are proven against Gateway roots (L1 is not on their path: they still travel with L1 frozen);
// between a Gateway chain and gamma they go through L1 roots (two levels from a Gateway chain);
// deposits reach Gateway chains through the Gateway's queue, and withdrawals from them are proven on
// L1 with two-level proofs.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { parseEther, stringToHex, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { GATEWAY_CHAIN_ID, L1_CHAIN_ID } from '../../src/network/startNetwork.js'
import { claimFailedDeposit, deposit, DepositNotProcessedError, depositETH, finalizeWithdrawal, getBalances, getMessageProof, getMessageStatus, JunctionIndex, ProofNotReadyError, sendMessage, transfer, waitForMessage, withdraw } from '../../src/sdk/index.js'
import { eventually, rejectsWith } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let index: JunctionIndex
let user: { address: Address; privateKey: Hex }
const connection = (name: string) => new ChainConnection(name === 'l1' ? network.manifest.l1 : chainNamed(network, name))

before(async () => {
  network = await startTestNetwork({ chains: 3, onGateway: ['alpha', 'beta'] })
  index = new JunctionIndex(network.manifest)
  user = network.manifest.accounts.users[0]!
})
after(async () => {
  await network?.close()
})

/** Sends `text` from `from` to the example recipient on `to` and waits until it is executed there. */
async function deliver(from: string, to: string, text: string, via: JunctionIndex = index) {
  const { bundleHash } = await sendMessage(walletFor(chainNamed(network, from), user.privateKey), {
    interopCenter: network.manifest.l2Contracts.interopCenter,
    recipient: { chainId: chainNamed(network, to).chainId, address: network.manifest.l2Contracts.exampleRecipient },
    payload: stringToHex(text),
  })
  const status = await waitForMessage(via, { bundleHash, timeoutMs: 60_000 })
  assert.equal(status.status, 'executed')
  return { bundleHash, status }
}

const lastPayload = (name: string) =>
  connection(name).client.readContract({ address: network.manifest.l2Contracts.exampleRecipient, abi: c.standardRecipientAbi, functionName: 'lastPayload' })

test('the topology: the Gateway is registered on L1 as a settlement layer, alpha and beta settle on it, gamma on L1', async () => {
  const gateway = chainNamed(network, 'gateway')
  assert.equal(gateway.role, 'gateway')
  assert.equal(gateway.chainId, GATEWAY_CHAIN_ID)
  assert.equal(gateway.settlementLayer, L1_CHAIN_ID)
  assert.deepEqual(['alpha', 'beta', 'gamma'].map((name) => chainNamed(network, name).settlementLayer), [GATEWAY_CHAIN_ID, GATEWAY_CHAIN_ID, L1_CHAIN_ID])
  const registry = { address: network.manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi } as const
  const l1 = connection('l1').client
  assert.equal(await l1.readContract({ ...registry, functionName: 'isSettlementLayer', args: [BigInt(GATEWAY_CHAIN_ID)] }), true)
  assert.equal(await l1.readContract({ ...registry, functionName: 'settlementLayerOf', args: [271n] }), BigInt(GATEWAY_CHAIN_ID))
  assert.equal(await l1.readContract({ ...registry, functionName: 'settlementLayerOf', args: [273n] }), BigInt(L1_CHAIN_ID))
  // The Gateway's MessageRoot is at the same address as L1's.
  assert.equal(gateway.gatewayContracts!.messageRoot, network.manifest.l1.contracts.messageRoot)
})

test('alpha → beta is proven against a Gateway root and is delivered with L1 frozen (SIGSTOP)', async () => {
  const l1Process = network.processes.find((p) => p.chainId === L1_CHAIN_ID)!
  const l1Head = await connection('l1').client.getBlockNumber({ cacheTime: 0 })
  process.kill(l1Process.pid!, 'SIGSTOP')
  try {
    // The SDK's own index reads L1 too; with L1 frozen, follow the message in the services' store.
    const servicesIndex = new JunctionIndex(network.manifest, { store: network.services!.store, syncFromChains: false })
    const { bundleHash, status } = await deliver('alpha', 'beta', 'through the Gateway', servicesIndex)
    const steps = status.timeline.map((s) => s.status)
    assert.ok(!steps.includes('settled-on-l1'), 'no L1 step on this path')
    const { proof } = await getMessageProof(servicesIndex, { bundleHash })
    assert.equal(proof.slChainId, BigInt(GATEWAY_CHAIN_ID), 'the proof ends at a Gateway root')
    assert.equal(proof.hops.length, 0)
  } finally {
    process.kill(l1Process.pid!, 'SIGCONT')
  }
  assert.equal(await lastPayload('beta'), stringToHex('through the Gateway'))
  assert.ok((await connection('l1').client.getBlockNumber({ cacheTime: 0 })) >= l1Head)
})

test('gamma (on L1) → alpha (on the Gateway) is proven against an L1 root the Gateway imported first', async () => {
  const { bundleHash } = await deliver('gamma', 'alpha', 'from L1-settled gamma')
  assert.equal(await lastPayload('alpha'), stringToHex('from L1-settled gamma'))
  const { proof } = await getMessageProof(index, { bundleHash })
  assert.equal(proof.slChainId, BigInt(L1_CHAIN_ID))
  assert.equal(proof.hops.length, 0)
  const gatewayStore = { address: network.manifest.l2Contracts.interopRootStore, abi: c.interopRootStoreAbi } as const
  const root = await connection('gateway').client.readContract({ ...gatewayStore, functionName: 'interopRoot', args: [proof.slChainId, proof.slBlockNumber] })
  assert.notEqual(BigInt(root as Hex), 0n, 'the Gateway imported the same L1 root')
  // alpha's batch holding that import settles on the Gateway (the Gateway checks it against its own imports).
  const store = network.services!.store
  const imported = store.prepare('SELECT block_number FROM imported_roots WHERE chain_id = 271 AND sl_chain_id = ? AND sl_block_number = ?').get(L1_CHAIN_ID, Number(proof.slBlockNumber)) as { block_number: number }
  await eventually('alpha settled the batch holding the L1 root import on the Gateway', () =>
    store.prepare('SELECT 1 FROM sl_batches WHERE sl_chain_id = ? AND chain_id = 271 AND ? BETWEEN first_block AND last_block AND executed_block IS NOT NULL').get(GATEWAY_CHAIN_ID, imported.block_number) ? true : undefined, { timeoutMs: 30_000 })
})

/** `InteropHandler.verifyProof` on `chain` (a view), with reverts decoded. */
function verifyOn(name: string, bundleHash: Hex, sourceChainId: bigint, proof: unknown) {
  const chain = connection(name)
  return chain.client
    .readContract({ address: network.manifest.l2Contracts.interopHandler, abi: c.interopHandlerAbi, functionName: 'verifyProof', args: [bundleHash, sourceChainId, proof as never] })
    .catch((error: unknown) => {
      throw chain.explainRevert(error, 'verifyProof')
    })
}

test('alpha (on the Gateway) → gamma (on L1) is proven with a two-level proof; a tampered middle hop is refused', async () => {
  const { bundleHash, status } = await deliver('alpha', 'gamma', 'two levels')
  assert.equal(await lastPayload('gamma'), stringToHex('two levels'))
  assert.ok(status.timeline.some((s) => s.status === 'settled-on-l1'), 'the timeline shows the Gateway batch settling on L1')
  const { bundle, proof } = await getMessageProof(index, { bundleHash })
  assert.equal(proof.slChainId, BigInt(L1_CHAIN_ID))
  assert.equal(proof.hops.length, 1)
  assert.equal(proof.hops[0]!.settlementLayerChainId, BigInt(GATEWAY_CHAIN_ID))
  const sourceChainId = bundle ? 271n : 0n
  // The genuine proof still verifies (a view), the tampered ones do not.
  await verifyOn('gamma', bundleHash, sourceChainId, proof)
  const hop = proof.hops[0]!
  const flipped = (h: Hex) => `${h.slice(0, -2)}${h.endsWith('00') ? '01' : '00'}` as Hex
  // The Gateway batch carrying the Gateway root holds other messages too (the Gateway's root imports
  // are not messages, but every shared-root update is), so the middle hop has siblings to tamper with.
  assert.ok(hop.batchSiblings.length + hop.messageSiblings.length > 0)
  const tamperedHop =
    hop.messageSiblings.length > 0
      ? { ...hop, messageSiblings: [flipped(hop.messageSiblings[0]!), ...hop.messageSiblings.slice(1)] }
      : { ...hop, batchSiblings: [flipped(hop.batchSiblings[0]!), ...hop.batchSiblings.slice(1)] }
  await rejectsWith(verifyOn('gamma', bundleHash, sourceChainId, { ...proof, hops: [tamperedHop] }), 'ProofRootMismatch')
  await rejectsWith(verifyOn('gamma', bundleHash, sourceChainId, { ...proof, hops: [{ ...hop, settlementLayerChainId: 273n }] }), 'UntrustedSettlementLayer')
  await rejectsWith(verifyOn('gamma', bundleHash, sourceChainId, { ...proof, hops: [hop, hop] }), 'TooManyHops')
})

test('a proof against the wrong settlement layer is refused: a Gateway-root proof on gamma, which imports only L1 roots', async () => {
  const { bundleHash } = await deliver('beta', 'alpha', 'one level on the Gateway')
  const { proof } = await getMessageProof(index, { bundleHash })
  assert.equal(proof.slChainId, BigInt(GATEWAY_CHAIN_ID))
  await rejectsWith(verifyOn('gamma', bundleHash, 272n, proof), 'RootNotImported')
  // Relabelled as an L1 proof at the same block, it leads nowhere either.
  const relabelled = { ...proof, slChainId: BigInt(L1_CHAIN_ID) }
  const l1Root = await connection('gamma').client.readContract({ address: network.manifest.l2Contracts.interopRootStore, abi: c.interopRootStoreAbi, functionName: 'interopRoot', args: [relabelled.slChainId, relabelled.slBlockNumber] })
  await rejectsWith(verifyOn('gamma', bundleHash, 272n, relabelled), BigInt(l1Root as Hex) === 0n ? 'RootNotImported' : 'ProofRootMismatch')
})

test('a deposit reaches alpha through the Gateway queue; a withdrawal from alpha is finalized on L1 with a two-level proof, once; transfers move the ledger', async () => {
  const l1 = connection('l1')
  const token = (await l1.deploy(user.privateKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Gateway Dollar', 'GUSD', 6], action: 'deploy TestToken' })).address
  await l1.write(user.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [user.address, 5_000n] })
  const l1Wallet = walletFor(network.manifest.l1, user.privateKey)
  const { requestIndex } = await deposit(l1Wallet, { manifest: network.manifest, chainId: 271, token, amount: 1_000n })
  const alphaRow = async () => (await getBalances(index, { token, account: user.address })).chains.find((chain) => chain.name === 'alpha')!
  await eventually('the deposit minted on alpha', async () => ((await alphaRow()).account === 1_000n ? true : undefined), { timeoutMs: 60_000 })
  // alpha's queue on the Gateway got it from the Gateway's queue on L1; both settle.
  const alphaSettlement = { address: chainNamed(network, 'alpha').settlement, abi: c.chainSettlementAbi } as const
  await eventually('alpha settled the deposit on the Gateway', async () =>
    ((await connection('gateway').client.readContract({ ...alphaSettlement, functionName: 'totalPriorityRequestsProcessed' })) as bigint) === requestIndex + 1n ? true : undefined, { timeoutMs: 30_000 })
  assert.equal((await alphaRow()).ledger, 1_000n)

  const { assetId } = await getBalances(index, { token, account: user.address })
  const { transactionHash } = await withdraw(walletFor(chainNamed(network, 'alpha'), user.privateKey), { manifest: network.manifest, assetId, amount: 400n })
  const finalized = await eventually('the withdrawal from alpha finalized on L1', async () => {
    try {
      return await finalizeWithdrawal(l1Wallet, index, { chainId: 271, transactionHash })
    } catch (error) {
      if (error instanceof ProofNotReadyError) return undefined
      throw error
    }
  }, { timeoutMs: 60_000 })
  assert.equal(finalized.receipt.status, 'success')
  const view = await getBalances(index, { token, account: user.address })
  assert.equal(view.l1Account, 4_400n)
  assert.equal(view.chains.find((chain) => chain.name === 'alpha')!.ledger, 600n)
  await rejectsWith(finalizeWithdrawal(l1Wallet, index, { chainId: 271, transactionHash }), 'WithdrawalAlreadyFinalized')

  // Transfers from alpha to beta (same Gateway) and to gamma (on L1): the ledger keeper moves the L1
  // ledger with a two-level proof of alpha's transfer message once the Gateway batch is on L1.
  const alpha = walletFor(chainNamed(network, 'alpha'), user.privateKey)
  for (const [destinationChainId, amount] of [[272, 100n], [273, 50n]] as const) {
    const { bundleHash } = await transfer(alpha, { manifest: network.manifest, assetId, amount, destinationChainId })
    await waitForMessage(index, { bundleHash, timeoutMs: 60_000 })
  }
  const settled = await eventually('the ledger moved for both transfers', async () => {
    const now = await getBalances(index, { token, account: user.address })
    const ledger = (name: string) => now.chains.find((chain) => chain.name === name)!.ledger
    return ledger('alpha') === 450n && ledger('beta') === 100n && ledger('gamma') === 50n ? now : undefined
  }, { timeoutMs: 60_000 })
  assert.equal(settled.vault, 600n, 'nothing left or entered the vault')
  for (const chain of settled.chains) assert.ok(chain.totalSupply <= chain.ledger, `${chain.name}: supply ${chain.totalSupply} ≤ ledger ${chain.ledger}`)
})

test('the message status names the settlement layer of each step', async () => {
  const { bundleHash } = await deliver('alpha', 'beta', 'status')
  const status = await getMessageStatus(index, { bundleHash })
  const executedOnSl = status.timeline.find((s) => s.status === 'executed-on-settlement-layer')!
  assert.match(executedOnSl.detail!, /^gateway block/)
})

test('ETH to a chain on the Gateway: a deposit arrives through the Gateway queue, a refused one is claimed back on L1 with a two-level proof', async () => {
  const alpha = connection('alpha')
  const l1Wallet = walletFor(network.manifest.l1, user.privateKey)
  const receiver = network.manifest.accounts.users[1]!.address
  const before = await alpha.client.getBalance({ address: receiver })
  await depositETH(l1Wallet, { manifest: network.manifest, chainId: 271, amount: parseEther('1'), to: receiver })
  await eventually('the ETH deposit arrived on alpha', async () => ((await alpha.client.getBalance({ address: receiver })) === before + parseEther('1') ? true : undefined), { timeoutMs: 60_000 })

  const refuser = (await alpha.deploy(user.privateKey, { abi: c.ethRefuserAbi, bytecode: c.ethRefuserBytecode, args: [0n], action: 'deploy EthRefuser' })).address
  const { requestIndex } = await depositETH(l1Wallet, { manifest: network.manifest, chainId: 271, amount: parseEther('0.25'), to: refuser })
  const claimed = await eventually('the failed deposit claimed on L1', async () => {
    try {
      return await claimFailedDeposit(l1Wallet, index, { chainId: 271, requestIndex })
    } catch (error) {
      if (error instanceof ProofNotReadyError || error instanceof DepositNotProcessedError) return undefined
      throw error
    }
  }, { timeoutMs: 60_000 })
  assert.equal(claimed.amount, parseEther('0.25'))
  await rejectsWith(claimFailedDeposit(l1Wallet, index, { chainId: 271, requestIndex }), 'DepositAlreadyClaimed')
})
