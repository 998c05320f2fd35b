// Supply conservation across the network, as a property: random sequences of deposits, chain → chain
// transfers and withdrawals; after each step the tokens are where a simple model says, and once
// settled every chain's bridged supply equals its balance in the L1 ledger, whose sum the vault holds.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import fc from 'fast-check'
import type { Address, Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { deposit, finalizeWithdrawal, getBalances, JunctionIndex, ProofNotReadyError, transfer, waitForMessage, withdraw } from '../../src/sdk/index.js'
import { eventually } from '../support/e2e.js'
import { startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let index: JunctionIndex
let token: Address
let user: { address: Address; privateKey: Hex }
const MINTED = 1_000_000n

before(async () => {
  network = await startTestNetwork()
  index = new JunctionIndex(network.manifest)
  user = network.manifest.accounts.users[1]!
  const l1 = new ChainConnection(network.manifest.l1)
  token = (await l1.deploy(user.privateKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Conserved', 'CNS', 18], action: 'deploy TestToken' })).address
  await l1.write(user.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [user.address, MINTED] })
})
after(async () => {
  await network?.close()
})

type Step = { kind: 'deposit'; chain: number; amount: bigint } | { kind: 'transfer'; from: number; to: number; amount: bigint } | { kind: 'withdraw'; chain: number; amount: bigint }

const chainIds = [271, 272]
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('deposit' as const), chain: fc.constantFrom(...chainIds), amount: fc.bigInt({ min: 1_000n, max: 5_000n }) }),
  fc.record({ kind: fc.constant('transfer' as const), from: fc.constantFrom(...chainIds), to: fc.constantFrom(...chainIds), amount: fc.bigInt({ min: 1n, max: 1_500n }) }).filter((s) => s.from !== s.to),
  fc.record({ kind: fc.constant('withdraw' as const), chain: fc.constantFrom(...chainIds), amount: fc.bigInt({ min: 1n, max: 1_500n }) }),
)

const infoOf = (chainId: number) => network.manifest.chains.find((chain) => chain.chainId === chainId)!

test('tokens are conserved across L1 and every chain over random deposits, transfers and withdrawals', async () => {
  // The model: the user's balance on L1 and on each chain.
  const model = new Map<number | 'l1', bigint>([['l1', MINTED], [271, 0n], [272, 0n]])
  let assetId: Hex | undefined
  const settled = async () => {
    const view = await eventually(
      'every chain settled and the ledger in step',
      async () => {
        const v = await getBalances(index, { token, account: user.address })
        return v.chains.every((chain) => chain.totalSupply === chain.ledger) ? v : undefined
      },
      { timeoutMs: 30_000 },
    )
    assert.equal(view.vault, view.chains.reduce((sum, chain) => sum + chain.ledger, 0n), 'the vault holds the sum of the ledger')
    assert.equal(view.l1Account! + view.vault, MINTED, 'nothing created or destroyed')
    assert.equal(view.l1Account, model.get('l1'))
    for (const chain of view.chains) assert.equal(chain.account, model.get(chain.chainId), `${chain.name} as the model says`)
  }
  await fc.assert(
    // Each sequence starts with a deposit, so the moves after it have something to move.
    fc.asyncProperty(step.filter((s) => s.kind === 'deposit'), fc.array(step, { minLength: 2, maxLength: 4 }), async (first, rest) => {
      const steps = [first, ...rest]
      console.log(`steps: ${steps.map((s) => (s.kind === 'transfer' ? `transfer ${s.amount} ${s.from}→${s.to}` : `${s.kind} ${s.amount} on ${s.chain}`)).join(', ')}`)
      for (const s of steps) {
        if (s.kind === 'deposit') {
          const result = await deposit(walletFor(network.manifest.l1, user.privateKey), { manifest: network.manifest, chainId: s.chain, token, amount: s.amount })
          assetId = result.assetId
          model.set('l1', model.get('l1')! - s.amount)
          model.set(s.chain, model.get(s.chain)! + s.amount)
        } else if (!assetId || model.get(s.kind === 'transfer' ? s.from : s.chain)! < s.amount) {
          continue // nothing to move yet: the model says the chain refuses it
        } else if (s.kind === 'transfer') {
          const { bundleHash } = await transfer(walletFor(infoOf(s.from), user.privateKey), { manifest: network.manifest, assetId, amount: s.amount, destinationChainId: s.to })
          await waitForMessage(index, { bundleHash, timeoutMs: 30_000 })
          model.set(s.from, model.get(s.from)! - s.amount)
          model.set(s.to, model.get(s.to)! + s.amount)
        } else {
          const { transactionHash } = await withdraw(walletFor(infoOf(s.chain), user.privateKey), { manifest: network.manifest, assetId, amount: s.amount })
          model.set(s.chain, model.get(s.chain)! - s.amount)
          // The ledger of the chain may lag behind a transfer into it: retry until the keeper recorded it.
          await eventually('the withdrawal finalized', async () => {
            try {
              return await finalizeWithdrawal(walletFor(network.manifest.l1, user.privateKey), index, { chainId: s.chain, transactionHash })
            } catch (error) {
              if (error instanceof ProofNotReadyError || (error instanceof Error && /InsufficientChainBalance/.test(error.message))) return undefined
              throw error
            }
          }, { timeoutMs: 30_000 })
          model.set('l1', model.get('l1')! + s.amount)
        }
        await settled()
      }
    }),
    // The network keeps its state between runs, so shrinking would replay on another state: report the first failure as it is.
    { numRuns: 3, endOnFailure: true, includeErrorInReport: true, seed: Number(process.env.JUNCTION_SEED ?? Date.now() % 2 ** 31) },
  )
})
