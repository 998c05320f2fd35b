// The shared bridge end to end: deposits L1 → chain through the priority queue, withdrawals chain → L1
// finalized with a proof against L1's root history, and the L1 ledger of each chain's balance.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { erc20Abi, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { deposit, finalizeWithdrawal, getBalances, JunctionIndex, ProofNotReadyError, transfer, waitForMessage, withdraw } from '../../src/sdk/index.js'
import { eventually, rejectsWith } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let l1: ChainConnection
let index: JunctionIndex
let token: Address
let user: { address: Address; privateKey: Hex }

before(async () => {
  network = await startTestNetwork()
  l1 = new ChainConnection(network.manifest.l1)
  index = new JunctionIndex(network.manifest)
  user = network.manifest.accounts.users[0]!
  token = (await l1.deploy(user.privateKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Test Dollar', 'TUSD', 6], action: 'deploy TestToken' })).address
  await l1.write(user.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [user.address, 10_000n] })
})
after(async () => {
  await network?.close()
})

const l1Wallet = () => walletFor(network.manifest.l1, user.privateKey)
const balances = () => getBalances(index, { token, account: user.address })
const chainRow = async (name: string) => (await balances()).chains.find((chain) => chain.name === name)!

/** The vault holds what the ledger says the chains hold, and each chain's bridged supply is at most its ledger balance. */
async function assertConservation() {
  const view = await balances()
  const ledgers = view.chains.reduce((sum, chain) => sum + chain.ledger, 0n)
  assert.equal(view.vault, ledgers, 'the L1 vault holds exactly the sum of the chain balances')
  for (const chain of view.chains) assert.ok(chain.totalSupply <= chain.ledger, `${chain.name}: bridged supply ${chain.totalSupply} ≤ ledger ${chain.ledger}`)
  return view
}

test('deposits a token to alpha: locked on L1, counted for alpha in the ledger, minted on alpha by the priority queue, settled', async () => {
  const { requestIndex } = await deposit(l1Wallet(), { manifest: network.manifest, chainId: 271, token, amount: 1_000n })
  // The dev users' ETH deposits at start came first in alpha's queue.
  assert.equal(requestIndex, BigInt(network.devUserDeposits.filter((d) => d.chainId === 271).length))
  await eventually('the deposit minted on alpha', async () => ((await chainRow('alpha')).account === 1_000n ? true : undefined), { timeoutMs: 30_000 })
  const view = await assertConservation()
  assert.equal(view.l1Account, 9_000n)
  assert.equal(view.vault, 1_000n)
  const alpha = view.chains.find((chain) => chain.name === 'alpha')!
  assert.equal(alpha.ledger, 1_000n)
  assert.equal(alpha.totalSupply, 1_000n)
  assert.equal(view.chains.find((chain) => chain.name === 'beta')!.ledger, 0n)
  // The same bridged token address on every chain, with the origin token's metadata.
  const l2 = new ChainConnection(chainNamed(network, 'alpha'))
  assert.equal(await l2.client.readContract({ address: alpha.token!, abi: erc20Abi, functionName: 'symbol' }), 'TUSD')
  assert.equal(await l2.client.readContract({ address: alpha.token!, abi: erc20Abi, functionName: 'decimals' }), 6)
  // The batch that processed the deposit settles on L1: the queue check passed.
  const settlement = { address: chainNamed(network, 'alpha').settlement, abi: c.chainSettlementAbi } as const
  await eventually('the deposit settled on L1', async () =>
    ((await l1.client.readContract({ ...settlement, functionName: 'totalPriorityRequestsProcessed' })) as bigint) === requestIndex + 1n ? true : undefined,
  { timeoutMs: 30_000 })
})

test('withdraws from alpha to L1 once: burned on alpha, finalized with a proof, a second finalize refused', async () => {
  const alphaInfo = chainNamed(network, 'alpha')
  const assetId = (await balances()).assetId
  const { transactionHash } = await withdraw(walletFor(alphaInfo, user.privateKey), { manifest: network.manifest, assetId, amount: 300n })
  assert.equal((await chainRow('alpha')).account, 700n, 'burned on alpha at once')
  const finalized = await eventually(
    'the withdrawal finalized on L1',
    async () => {
      try {
        return await finalizeWithdrawal(l1Wallet(), index, { chainId: 271, transactionHash })
      } catch (error) {
        if (error instanceof ProofNotReadyError) return undefined
        throw error
      }
    },
    { timeoutMs: 30_000 },
  )
  assert.equal(finalized.receipt.status, 'success')
  const view = await assertConservation()
  assert.equal(view.l1Account, 9_300n)
  assert.equal(view.chains.find((chain) => chain.name === 'alpha')!.ledger, 700n)
  await rejectsWith(finalizeWithdrawal(l1Wallet(), index, { chainId: 271, transactionHash }), 'WithdrawalAlreadyFinalized')
  assert.equal((await balances()).l1Account, 9_300n)
})

test('deposits to beta move only beta in the ledger', async () => {
  await deposit(l1Wallet(), { manifest: network.manifest, chainId: 272, token, amount: 500n })
  await eventually('the deposit minted on beta', async () => ((await chainRow('beta')).account === 500n ? true : undefined), { timeoutMs: 30_000 })
  const view = await assertConservation()
  assert.deepEqual(
    view.chains.map((chain) => [chain.name, chain.ledger]),
    [['alpha', 700n], ['beta', 500n]],
  )
})

test('transfers from alpha to beta natively: burned on alpha, minted on beta at the same token address, the ledger moved on L1', async () => {
  const before = await balances()
  const assetId = before.assetId
  const alphaBefore = before.chains.find((chain) => chain.name === 'alpha')!
  const betaBefore = before.chains.find((chain) => chain.name === 'beta')!
  const { bundleHash } = await transfer(walletFor(chainNamed(network, 'alpha'), user.privateKey), { manifest: network.manifest, assetId, amount: 200n, destinationChainId: 272 })
  await waitForMessage(index, { bundleHash, timeoutMs: 30_000 })
  const after = await balances()
  const alpha = after.chains.find((chain) => chain.name === 'alpha')!
  const beta = after.chains.find((chain) => chain.name === 'beta')!
  assert.equal(alpha.account, alphaBefore.account! - 200n)
  assert.equal(beta.account, betaBefore.account! + 200n)
  assert.equal(beta.token, alpha.token, 'one token address on every chain')
  // The ledger follows once alpha's batch is executed on L1 and the transfer recorded there.
  await eventually('the ledger moved', async () => {
    const view = await balances()
    return view.chains.find((chain) => chain.name === 'beta')!.ledger === betaBefore.ledger + 200n ? view : undefined
  }, { timeoutMs: 30_000 })
  const view = await assertConservation()
  assert.equal(view.chains.find((chain) => chain.name === 'alpha')!.ledger, alphaBefore.ledger - 200n)
  assert.equal(view.vault, before.vault, 'nothing left or entered the vault')

  // Beta can now withdraw more than was ever deposited to it directly.
  const { transactionHash } = await withdraw(walletFor(chainNamed(network, 'beta'), user.privateKey), { manifest: network.manifest, assetId, amount: 600n })
  await eventually('the withdrawal from beta finalized', async () => {
    try {
      return await finalizeWithdrawal(l1Wallet(), index, { chainId: 272, transactionHash })
    } catch (error) {
      if (error instanceof ProofNotReadyError) return undefined
      throw error
    }
  }, { timeoutMs: 30_000 })
  const final = await assertConservation()
  assert.equal(final.l1Account, view.l1Account! + 600n)
  assert.equal(final.chains.find((chain) => chain.name === 'beta')!.ledger, betaBefore.ledger + 200n - 600n)
})

test('finalizes two identical withdrawals (the same leaf recorded twice) and records two identical transfers, each once', async () => {
  const alphaInfo = chainNamed(network, 'alpha')
  const before = await balances()
  const assetId = before.assetId
  const wallet = walletFor(alphaInfo, user.privateKey)
  // Two identical transfers alpha → beta: the same message, so the same leaf, twice.
  for (let i = 0; i < 2; i++) {
    const { bundleHash } = await transfer(wallet, { manifest: network.manifest, assetId, amount: 7n, destinationChainId: 272 })
    await waitForMessage(index, { bundleHash, timeoutMs: 30_000 })
  }
  const betaLedgerBefore = before.chains.find((chain) => chain.name === 'beta')!.ledger
  await eventually('both transfers recorded in the ledger', async () =>
    (await balances()).chains.find((chain) => chain.name === 'beta')!.ledger === betaLedgerBefore + 14n ? true : undefined,
  { timeoutMs: 30_000 })
  // Two identical withdrawals from alpha.
  const first = await withdraw(wallet, { manifest: network.manifest, assetId, amount: 5n })
  const second = await withdraw(wallet, { manifest: network.manifest, assetId, amount: 5n })
  for (const { transactionHash } of [first, second]) {
    await eventually('the withdrawal finalized', async () => {
      try {
        return await finalizeWithdrawal(l1Wallet(), index, { chainId: 271, transactionHash })
      } catch (error) {
        if (error instanceof ProofNotReadyError) return undefined
        throw error
      }
    }, { timeoutMs: 30_000 })
  }
  const view = await assertConservation()
  assert.equal(view.l1Account, before.l1Account! + 10n)
  assert.equal(view.chains.find((chain) => chain.name === 'alpha')!.ledger, before.chains.find((chain) => chain.name === 'alpha')!.ledger - 14n - 10n)
})
