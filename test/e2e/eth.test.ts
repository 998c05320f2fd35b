// ETH as the base token of every chain, end to end on real chains (protocol §9.7, §9.8): deposits
// released from the chain's base-token holder, withdrawals paid back into it and released from the L1
// vault, value on bundle calls delivered on the destination with the L1 ledger following, the
// unbundler's cancel path, and failed deposits claimed back on L1.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { getAddress, parseEther, parseEventLogs, toHex, type Address, type Hex, type TransactionReceipt } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { ethDepositedAtStart } from '../../src/network/fundOperators.js'
import { ZK_CHAIN_ETH_SUPPLY } from '../../src/chain/zkChainNode.js'
import * as c from '../../src/contracts/generated/index.js'
import { encodeExecutionAddressAttribute, encodeInteropCallValueAttribute, encodeUnbundlerAddressAttribute, ethAssetId } from '../../src/protocol/index.js'
import {
  claimFailedDeposit,
  DepositNotProcessedError,
  DepositorSignatureRequiredError,
  depositETH,
  finalizeWithdrawal,
  getBalances,
  getBundleStatus,
  JunctionIndex,
  ProofNotReadyError,
  sendBundle,
  signFailedDepositClaim,
  unbundle,
  waitForMessage,
  withdrawETH,
} from '../../src/sdk/index.js'
import { eventually, rejectsWith, waitForProof } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let l1: ChainConnection
let alpha: ChainConnection
let beta: ChainConnection
let index: JunctionIndex

before(async () => {
  network = await startTestNetwork()
  l1 = new ChainConnection(network.manifest.l1)
  alpha = new ChainConnection(chainNamed(network, 'alpha'))
  beta = new ChainConnection(chainNamed(network, 'beta'))
  index = new JunctionIndex(network.manifest)
})
after(async () => {
  await network?.close()
})

const user = (i: number) => network.manifest.accounts.users[i]!
/** What the dev users' deposits at start bridged into each chain. */
const funded = () => ethDepositedAtStart(network.manifest)
const fresh = (): Address => privateKeyToAccount(generatePrivateKey()).address
const eth = () => getBalances(index, { eth: true })
const ledgerOf = async (name: string) => (await eth()).chains.find((chain) => chain.name === name)!.ledger
const bridgedInto = async (name: string) => (await eth()).chains.find((chain) => chain.name === name)!.totalSupply
const fee = (receipt: TransactionReceipt) => receipt.gasUsed * receipt.effectiveGasPrice
const deployRecipient = async (on: ChainConnection) =>
  (await on.deploy(user(4).privateKey, { abi: c.standardRecipientAbi, bytecode: c.standardRecipientBytecode, args: [network.manifest.l2Contracts.interopCenter], action: 'deploy recipient' })).address
/** Retries `finalize` until its proof can be built (the batch is executed on L1). */
const whenProvable = <T>(what: string, attempt: () => Promise<T>) =>
  eventually(what, async () => {
    try {
      return await attempt()
    } catch (error) {
      if (error instanceof ProofNotReadyError || error instanceof DepositNotProcessedError) return undefined
      throw error
    }
  }, { timeoutMs: 30_000 })

test('the base-token holder is at the same address on every chain, holding what its genesis allocated less what the dev users deposited', async () => {
  const { baseTokenHolder, l2AssetRouter, interopHandler } = network.manifest.l2Contracts
  for (const chain of [alpha, beta]) {
    assert.equal(await chain.client.readContract({ address: baseTokenHolder, abi: c.baseTokenHolderAbi, functionName: 'initialBalance' }), ZK_CHAIN_ETH_SUPPLY)
    assert.equal(await chain.client.readContract({ address: baseTokenHolder, abi: c.baseTokenHolderAbi, functionName: 'bridgedBalance' }), funded())
    assert.equal(await chain.client.getBalance({ address: baseTokenHolder }), ZK_CHAIN_ETH_SUPPLY - funded())
    assert.equal(await chain.client.readContract({ address: baseTokenHolder, abi: c.baseTokenHolderAbi, functionName: 'assetRouter' }), l2AssetRouter)
    assert.equal(await chain.client.readContract({ address: baseTokenHolder, abi: c.baseTokenHolderAbi, functionName: 'interopHandler' }), interopHandler)
  }
  const expected = ethAssetId({ l1ChainId: network.manifest.l1.chainId, l1Vault: network.manifest.l1.contracts.nativeTokenVault })
  assert.equal((await eth()).assetId, expected)
  assert.equal(await alpha.client.readContract({ address: l2AssetRouter, abi: c.l2AssetRouterAbi, functionName: 'ethAssetId' }), expected)
})

test('deposits ETH to alpha: the receiver gets exactly the amount, released from the holder; the vault and the ledger hold it', async () => {
  const receiver = fresh()
  const amount = parseEther('3')
  const before = await eth()
  assert.equal(before.vault, funded() * 2n, 'the dev users\' deposits to alpha and beta at start')
  const { requestIndex, receipt } = await depositETH(walletFor(network.manifest.l1, user(0).privateKey), { manifest: network.manifest, chainId: 271, amount, to: receiver })
  console.log(`depositETH: ${receipt.gasUsed} gas`)
  assert.equal(requestIndex, BigInt(network.devUserDeposits.filter((deposit) => deposit.chainId === 271).length), 'the next request after the dev users\' deposits')
  await eventually('the ETH reached the receiver on alpha', async () => ((await alpha.client.getBalance({ address: receiver })) === amount ? true : undefined), { timeoutMs: 30_000 })
  const view = await eth()
  assert.equal(view.vault, funded() * 2n + amount)
  assert.deepEqual(view.chains.map((chain) => [chain.name, chain.ledger, chain.totalSupply]), [['alpha', funded() + amount, funded() + amount], ['beta', funded(), funded()]])
})

test('withdraws ETH from alpha: paid into the holder, finalized on L1 once (a second finalize is refused)', async () => {
  const l1Receiver = fresh()
  const amount = parseEther('1')
  const { transactionHash, receipt } = await withdrawETH(walletFor(chainNamed(network, 'alpha'), user(0).privateKey), { manifest: network.manifest, amount, to: l1Receiver })
  console.log(`withdrawETH: ${receipt.gasUsed} gas`)
  assert.equal(await bridgedInto('alpha'), funded() + parseEther('2'), 'the withdrawn ETH went back into the holder')
  await whenProvable('the withdrawal finalized', () => finalizeWithdrawal(walletFor(network.manifest.l1, user(1).privateKey), index, { chainId: 271, transactionHash }))
  assert.equal(await l1.client.getBalance({ address: l1Receiver }), amount)
  assert.equal(await ledgerOf('alpha'), funded() + parseEther('2'))
  assert.equal((await eth()).vault, funded() * 2n + parseEther('2'))
  await rejectsWith(finalizeWithdrawal(walletFor(network.manifest.l1, user(1).privateKey), index, { chainId: 271, transactionHash }), 'WithdrawalAlreadyFinalized')
  assert.equal(await l1.client.getBalance({ address: l1Receiver }), amount)
})

test('a bundle with value delivers it to a recipient on beta; the L1 ledger moves the ETH from alpha to beta once the keeper recorded it', async () => {
  const recipient = await deployRecipient(beta)
  const [alphaLedger, betaLedger] = [await ledgerOf('alpha'), await ledgerOf('beta')]
  const value = parseEther('0.25')
  const { bundleHash, receipt } = await sendBundle(walletFor(chainNamed(network, 'alpha'), user(0).privateKey), {
    destinationChainId: 272,
    calls: [{ to: recipient, data: toHex('with value'), attributes: [encodeInteropCallValueAttribute(value)] }],
    interopCenter: network.manifest.l2Contracts.interopCenter,
  })
  console.log(`sendBundle with value: ${receipt.gasUsed} gas`)
  await waitForMessage(index, { bundleHash, timeoutMs: 30_000 })
  assert.equal(await beta.client.getBalance({ address: recipient }), value)
  assert.equal(await beta.client.readContract({ address: recipient, abi: c.standardRecipientAbi, functionName: 'valueReceived' }), value)
  assert.equal(await bridgedInto('beta'), funded() + value, 'released from beta\'s holder')
  await eventually('the ledger moved the ETH to beta', async () => ((await ledgerOf('beta')) === betaLedger + value ? true : undefined), { timeoutMs: 30_000 })
  assert.equal(await ledgerOf('alpha'), alphaLedger - value)
  const view = await eth()
  assert.equal(view.vault, view.chains.reduce((sum, chain) => sum + chain.ledger, 0n), 'the vault holds the sum of the ledger')
  for (const chain of view.chains) assert.equal(chain.totalSupply, chain.ledger, `${chain.name}: bridged in = its ledger balance`)
})

test('refuses by name a transaction value that is not the sum of the call values', async () => {
  const recipient = await deployRecipient(beta)
  const calls = [{ to: recipient, data: '0x' as Hex, attributes: [encodeInteropCallValueAttribute(5n)] }]
  const send = (value: bigint) => sendBundle(walletFor(chainNamed(network, 'alpha'), user(1).privateKey), { destinationChainId: 272, calls, value, interopCenter: network.manifest.l2Contracts.interopCenter })
  assert.deepEqual((await rejectsWith(send(4n), 'ValueMismatch')).errorArgs, [5n, 4n])
  assert.deepEqual((await rejectsWith(send(6n), 'ValueMismatch')).errorArgs, [5n, 6n])
})

test('a bundle with value whose call fails reverts as a whole: the holder keeps the value, and the retry delivers it', async () => {
  const recipient = await deployRecipient(beta)
  await beta.write(user(4).privateKey, { address: recipient, abi: c.standardRecipientAbi, functionName: 'setFail', args: [true] })
  const before = await bridgedInto('beta')
  const value = 12_345n
  const { bundleHash } = await sendBundle(walletFor(chainNamed(network, 'alpha'), user(2).privateKey), {
    destinationChainId: 272,
    calls: [{ to: recipient, data: '0x01', attributes: [encodeInteropCallValueAttribute(value)] }],
    interopCenter: network.manifest.l2Contracts.interopCenter,
  })
  const failed = await eventually('the bundle reported failed', async () => {
    const status = await getBundleStatus(index, { bundleHash })
    return status.status === 'failed' ? status : undefined
  }, { timeoutMs: 30_000 })
  assert.match(failed.failure ?? '', /RecipientRefused/)
  assert.equal(await bridgedInto('beta'), before, 'nothing left beta\'s holder')
  assert.equal(await beta.client.getBalance({ address: recipient }), 0n)
  await beta.write(user(4).privateKey, { address: recipient, abi: c.standardRecipientAbi, functionName: 'setFail', args: [false] })
  await waitForMessage(index, { bundleHash, timeoutMs: 30_000 })
  assert.equal(await beta.client.getBalance({ address: recipient }), value)
  assert.equal(await bridgedInto('beta'), before + value)
})

test('the unbundler gets the value of a call it cancels; the call it executes gets its own', async () => {
  const [a, b] = [await deployRecipient(beta), await deployRecipient(beta)]
  const unbundler = user(3)
  const { bundleHash } = await sendBundle(walletFor(chainNamed(network, 'alpha'), user(2).privateKey), {
    destinationChainId: 272,
    calls: [
      { to: a, data: '0x0a', attributes: [encodeInteropCallValueAttribute(1_000n)] },
      { to: b, data: '0x0b', attributes: [encodeInteropCallValueAttribute(7_000n)] },
    ],
    // The execution address keeps the relayer away, so the unbundler decides.
    attributes: [encodeExecutionAddressAttribute({ chainId: 272, address: unbundler.address }), encodeUnbundlerAddressAttribute({ chainId: 272, address: unbundler.address })],
    interopCenter: network.manifest.l2Contracts.interopCenter,
  })
  await waitForProof(index, bundleHash, 30_000)
  const [before, holderBefore] = [await beta.client.getBalance({ address: unbundler.address }), await bridgedInto('beta')]
  const result = await unbundle(walletFor(chainNamed(network, 'beta'), unbundler.privateKey), index, { bundleHash, decisions: ['execute', 'cancel'] })
  const fees = fee(result.receipt) + (result.verifiedIn ? fee(await beta.client.getTransactionReceipt({ hash: result.verifiedIn })) : 0n)
  const [released] = parseEventLogs({ abi: c.interopHandlerAbi, logs: result.receipt.logs, eventName: 'CancelledCallValueReleased' })
  assert.deepEqual([released!.args.callIndex, released!.args.to, released!.args.value], [1n, unbundler.address, 7_000n])
  assert.equal(await beta.client.getBalance({ address: unbundler.address }), before - fees + 7_000n)
  assert.equal(await beta.client.getBalance({ address: a }), 1_000n)
  assert.equal(await beta.client.getBalance({ address: b }), 0n)
  assert.equal(await bridgedInto('beta'), holderBefore + 8_000n, 'both values left the holder: nothing is lost')
  assert.deepEqual((await getBundleStatus(index, { bundleHash })).calls!.map((call) => call.status), ['executed', 'cancelled'])
})

test('an ETH deposit to a contract that refuses ETH fails on the chain and is claimed back on L1 once, lowering the ledger', async () => {
  const refuser = (await alpha.deploy(user(4).privateKey, { abi: c.ethRefuserAbi, bytecode: c.ethRefuserBytecode, args: [0n], action: 'deploy EthRefuser' })).address
  const depositor = user(0)
  const amount = parseEther('0.5')
  const ledgerBefore = await ledgerOf('alpha')
  const bridgedBefore = await bridgedInto('alpha')
  const { requestIndex } = await depositETH(walletFor(network.manifest.l1, depositor.privateKey), { manifest: network.manifest, chainId: 271, amount, to: refuser })
  assert.equal(await ledgerOf('alpha'), ledgerBefore + amount, 'counted for alpha until claimed')
  const depositorBefore = await l1.client.getBalance({ address: depositor.address })
  // Anyone may claim (here another account pays the gas); the ETH goes to the depositor.
  const claimer = walletFor(network.manifest.l1, user(1).privateKey)
  const claimed = await whenProvable('the failed deposit claimed', () => claimFailedDeposit(claimer, index, { chainId: 271, requestIndex }))
  console.log(`claimFailedDeposit: ${claimed.receipt.gasUsed} gas`)
  assert.deepEqual([claimed.depositor, claimed.amount], [depositor.address, amount])
  assert.equal(await l1.client.getBalance({ address: depositor.address }), depositorBefore + amount)
  assert.equal(await alpha.client.getBalance({ address: refuser }), 0n)
  assert.equal(await bridgedInto('alpha'), bridgedBefore, 'nothing left alpha\'s holder')
  assert.equal(await ledgerOf('alpha'), ledgerBefore)
  await rejectsWith(claimFailedDeposit(claimer, index, { chainId: 271, requestIndex }), 'DepositAlreadyClaimed')
  assert.equal(await l1.client.getBalance({ address: depositor.address }), depositorBefore + amount)
})

test('a failed deposit of an L1 contract that refuses ETH is paid where the contract names, on its signature, once', async () => {
  // The contract (its owner's key signs for it through ERC-1271) deposits to a receiver on alpha that refuses ETH too.
  const owner = user(3)
  const contract = getAddress((await l1.deploy(owner.privateKey, { abi: c.refusingDepositorAbi, bytecode: c.refusingDepositorBytecode, args: [network.manifest.l1.contracts.assetRouter, owner.address], action: 'deploy RefusingDepositor' })).address)
  const refuser = (await alpha.deploy(user(4).privateKey, { abi: c.ethRefuserAbi, bytecode: c.ethRefuserBytecode, args: [0n], action: 'deploy EthRefuser' })).address
  const amount = parseEther('0.2')
  const deposited = await l1.write(owner.privateKey, { address: contract, abi: c.refusingDepositorAbi, functionName: 'depositETH', args: [271n, refuser], value: amount })
  const [initiated] = parseEventLogs({ abi: c.l1AssetRouterAbi, logs: deposited.logs, eventName: 'DepositInitiated' })
  const requestIndex = initiated!.args.requestIndex
  assert.equal(initiated!.args.depositor, contract)
  const to = fresh()
  const signed = await whenProvable('the claim signed', () => signFailedDepositClaim(walletFor(network.manifest.l1, owner.privateKey), index, { chainId: 271, requestIndex, to }))
  assert.equal(signed.depositor, contract)

  // Someone else claims: without the depositor's word the SDK refuses before sending anything.
  const claimer = walletFor(network.manifest.l1, user(1).privateKey)
  await assert.rejects(claimFailedDeposit(claimer, index, { chainId: 271, requestIndex, to }), DepositorSignatureRequiredError)
  const ledgerBefore = await ledgerOf('alpha')
  const claimed = await whenProvable('the failed deposit claimed to the named address', () => claimFailedDeposit(claimer, index, { chainId: 271, requestIndex, to, signature: signed.signature }))
  console.log(`claimFailedDepositTo (SDK, ERC-1271): ${claimed.receipt.gasUsed} gas`)
  assert.deepEqual([claimed.depositor, claimed.to, claimed.amount], [contract, to, amount])
  assert.equal(await l1.client.getBalance({ address: to }), amount)
  assert.equal(await l1.client.getBalance({ address: contract }), 0n)
  assert.equal(await ledgerOf('alpha'), ledgerBefore - amount)
  await rejectsWith(claimFailedDeposit(claimer, index, { chainId: 271, requestIndex, to, signature: signed.signature }), 'DepositAlreadyClaimed')
  await rejectsWith(claimFailedDeposit(claimer, index, { chainId: 271, requestIndex }), 'DepositAlreadyClaimed')
})
