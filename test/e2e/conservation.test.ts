// Supply conservation across the network, as a property: random sequences of deposits, chain → chain
// transfers and withdrawals, of an ERC-20 token or of ETH, and moves of a chain between L1 and the
// Gateway (alpha starts on the Gateway, beta on L1); after each step the tokens are where a simple
// model says, and once settled every chain's bridged supply (for ETH: what its base-token holder counts
// as bridged in and not out) equals its balance in the ledger where it settles (its own L1 account, or
// the Gateway's asset tracker), the Gateway's account in L1's ledger equals the sum of its chains', and
// the vault holds every account.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import fc from 'fast-check'
import { toHex, type Address, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { ethDepositedAtStart } from '../../src/network/fundOperators.js'
import * as c from '../../src/contracts/generated/index.js'
import { encodeInteropCallValueAttribute } from '../../src/protocol/index.js'
import { deposit, depositETH, finalizeWithdrawal, getBalances, auditLedger, JunctionIndex, ProofNotReadyError, sendBundle, transfer, waitForMessage, withdraw, withdrawETH } from '../../src/sdk/index.js'
import { migrateChain } from '../../src/settlement/migrateChain.js'
import { eventually } from '../support/e2e.js'
import { startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let index: JunctionIndex
let token: Address
let user: { address: Address; privateKey: Hex }
const MINTED = 1_000_000n

before(async () => {
  network = await startTestNetwork({ chains: 2, onGateway: ['alpha'] })
  index = new JunctionIndex(network.manifest)
  user = network.manifest.accounts.users[1]!
  const l1 = new ChainConnection(network.manifest.l1)
  token = (await l1.deploy(user.privateKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Conserved', 'CNS', 18], action: 'deploy TestToken' })).address
  await l1.write(user.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [user.address, MINTED] })
})
after(async () => {
  await network?.close()
})

type Asset = 'token' | 'eth'
type Step =
  | { kind: 'deposit'; asset: Asset; chain: number; amount: bigint }
  | { kind: 'transfer'; asset: Asset; from: number; to: number; amount: bigint }
  | { kind: 'withdraw'; asset: Asset; chain: number; amount: bigint }
  | { kind: 'migrate'; chain: number }

const chainIds = [271, 272]
const asset = fc.constantFrom<Asset>('token', 'eth')
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('deposit' as const), asset, chain: fc.constantFrom(...chainIds), amount: fc.bigInt({ min: 1_000n, max: 5_000n }) }),
  fc.record({ kind: fc.constant('transfer' as const), asset, from: fc.constantFrom(...chainIds), to: fc.constantFrom(...chainIds), amount: fc.bigInt({ min: 1n, max: 1_500n }) }).filter((s) => s.from !== s.to),
  fc.record({ kind: fc.constant('withdraw' as const), asset, chain: fc.constantFrom(...chainIds), amount: fc.bigInt({ min: 1n, max: 1_500n }) }),
  fc.record({ kind: fc.constant('migrate' as const), chain: fc.constantFrom(...chainIds) }),
)

const depositOf = (a: Asset) => step.filter((s) => s.kind === 'deposit' && s.asset === a)
const describeStep = (s: Step) =>
  s.kind === 'migrate' ? `migrate ${s.chain}` : `${s.asset} ${s.kind === 'transfer' ? `transfer ${s.amount} ${s.from}→${s.to}` : `${s.kind} ${s.amount} on ${s.chain}`}`
const infoOf = (chainId: number) => network.manifest.chains.find((chain) => chain.chainId === chainId)!

test('tokens and ETH are conserved across L1 and every chain over random deposits, transfers and withdrawals', async () => {
  // The token model: the user's balance on L1 and on each chain.
  const model = new Map<number | 'l1', bigint>([['l1', MINTED], [271, 0n], [272, 0n]])
  // The ETH model: each chain's ETH ledger (= ETH bridged into it: at first the dev users' deposits at
  // start), ETH deposits land on a fresh account per chain, transfers on the example recipient,
  // withdrawals on a fresh L1 account.
  const atStart = ethDepositedAtStart(network.manifest)
  const ethLedger = new Map<number, bigint>([[271, atStart], [272, atStart]])
  const ethDeposited = new Map<number, bigint>([[271, 0n], [272, 0n]])
  const ethTransferredIn = new Map<number, bigint>([[271, 0n], [272, 0n]])
  let ethWithdrawn = 0n
  const ethReceiver = new Map(chainIds.map((chainId) => [chainId, privateKeyToAccount(generatePrivateKey()).address]))
  const l1EthReceiver = privateKeyToAccount(generatePrivateKey()).address
  const recipient = network.manifest.l2Contracts.exampleRecipient
  let assetId: Hex | undefined
  const settled = async () => {
    const [view, ethView] = await eventually(
      'every chain settled and the ledger in step',
      async () => {
        const v = await getBalances(index, { token, account: user.address })
        const e = await getBalances(index, { eth: true })
        // Nothing in flight: every chain holds what the model says (tokens the user holds, ETH bridged in),
        // and its ledger is its supply (a record the keeper has not made yet leaves a ledger short). The
        // accounts under test (the Gateway's, the vault's sum) are checked below, not waited for.
        const asModelled = v.chains.every((chain) => !chainIds.includes(chain.chainId) || chain.account === model.get(chain.chainId))
          && e.chains.every((chain) => !chainIds.includes(chain.chainId) || chain.totalSupply === ethLedger.get(chain.chainId))
        return asModelled && [...v.chains, ...e.chains].every((chain) => chain.totalSupply === chain.ledger) ? ([v, e] as const) : undefined
      },
      { timeoutMs: 30_000 },
    )
    assert.equal(view.vault, view.chains.reduce((sum, chain) => sum + chain.ledger, 0n), 'the vault holds the sum of the ledger')
    assert.equal(view.l1Account! + view.vault, MINTED, 'nothing created or destroyed')
    assert.equal(view.l1Account, model.get('l1'))
    for (const chain of view.chains) {
      // The Gateway chain itself holds nothing: deposits only pass through its queue.
      if (!chainIds.includes(chain.chainId)) assert.deepEqual([chain.ledger, chain.totalSupply], [0n, 0n], `${chain.name} holds nothing`)
      else assert.equal(chain.account, model.get(chain.chainId), `${chain.name} as the model says`)
    }
    assert.equal(ethView.vault, ethView.chains.reduce((sum, chain) => sum + chain.ledger, 0n), 'the vault holds the sum of the ETH ledger')
    for (const chain of ethView.chains.filter((c) => chainIds.includes(c.chainId))) {
      assert.equal(chain.ledger, ethLedger.get(chain.chainId), `${chain.name}: ETH ledger as the model says`)
      const on = new ChainConnection(infoOf(chain.chainId))
      assert.equal(await on.client.getBalance({ address: ethReceiver.get(chain.chainId)! }), ethDeposited.get(chain.chainId), `${chain.name}: ETH deposits delivered`)
      assert.equal(await on.client.getBalance({ address: recipient }), ethTransferredIn.get(chain.chainId), `${chain.name}: ETH call values delivered`)
    }
    assert.equal(await new ChainConnection(network.manifest.l1).client.getBalance({ address: l1EthReceiver }), ethWithdrawn, 'ETH withdrawals released on L1')
    // Each Gateway's account in L1's ledger holds exactly what its asset tracker gives its chains (docs/protocol.md
    // §9.10, §9.11), and the vault holds every account: the chains' own and the Gateways'.
    for (const v of [view, ethView]) {
      for (const sl of v.settlementLayers) assert.equal(sl.l1Ledger, sl.chains, `${sl.name}: its L1 account is the sum of its chains`)
      const accounts = v.chains.reduce((sum, chain) => sum + chain.l1Ledger, 0n) + v.settlementLayers.reduce((sum, sl) => sum + sl.l1Ledger, 0n)
      assert.equal(v.vault, accounts, 'the vault holds the sum of the L1 ledger accounts')
      for (const chain of v.chains.filter((c) => c.settlesOn !== network.manifest.l1.chainId)) assert.equal(chain.l1Ledger, 0n, `${chain.name}: nothing left in its own L1 account once settled`)
    }
    await index.sync()
    assert.deepEqual(await auditLedger(index), { forgedBundles: [], forgedWithdrawals: [], refusedTransfers: [], unchecked: 0 }, 'the audit finds nothing unbacked in an honest network')
  }
  const finalized = (chainId: number, transactionHash: Hex) =>
    // The ledger of the chain may lag behind a transfer into it: retry until the keeper recorded it.
    eventually('the withdrawal finalized', async () => {
      try {
        return await finalizeWithdrawal(walletFor(network.manifest.l1, user.privateKey), index, { chainId, transactionHash })
      } catch (error) {
        if (error instanceof ProofNotReadyError || (error instanceof Error && /InsufficientChainBalance/.test(error.message))) return undefined
        throw error
      }
    }, { timeoutMs: 30_000 })
  const moveEth = (from: number, to: number | undefined, amount: bigint) => {
    ethLedger.set(from, ethLedger.get(from)! - amount)
    if (to !== undefined) ethLedger.set(to, ethLedger.get(to)! + amount)
  }
  /** Runs one ETH step; false when the model says the chain has too little ETH bridged in for it. */
  /** Moves a chain to the other settlement layer (L1 ↔ Gateway): nothing may change in the model. */
  const migrate = async (chainId: number) => {
    const l1 = new ChainConnection(network.manifest.l1)
    const now = Number(await l1.client.readContract({ address: network.manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi, functionName: 'settlementLayerOf', args: [BigInt(chainId)] }))
    await migrateChain({ manifest: network.manifest, store: network.services!.store, chainId, to: now === network.manifest.l1.chainId ? 'gateway' : 'l1' })
  }
  const ethStep = async (s: Exclude<Step, { kind: 'migrate' }>): Promise<boolean> => {
    if (s.kind === 'deposit') {
      await depositETH(walletFor(network.manifest.l1, user.privateKey), { manifest: network.manifest, chainId: s.chain, amount: s.amount, to: ethReceiver.get(s.chain)! })
      ethLedger.set(s.chain, ethLedger.get(s.chain)! + s.amount)
      ethDeposited.set(s.chain, ethDeposited.get(s.chain)! + s.amount)
      return true
    }
    if (ethLedger.get(s.kind === 'transfer' ? s.from : s.chain)! < s.amount) return false
    if (s.kind === 'transfer') {
      const { bundleHash } = await sendBundle(walletFor(infoOf(s.from), user.privateKey), {
        destinationChainId: s.to,
        calls: [{ to: recipient, data: toHex('conserved'), attributes: [encodeInteropCallValueAttribute(s.amount)] }],
        interopCenter: network.manifest.l2Contracts.interopCenter,
      })
      await waitForMessage(index, { bundleHash, timeoutMs: 30_000 })
      moveEth(s.from, s.to, s.amount)
      ethTransferredIn.set(s.to, ethTransferredIn.get(s.to)! + s.amount)
      return true
    }
    const { transactionHash } = await withdrawETH(walletFor(infoOf(s.chain), user.privateKey), { manifest: network.manifest, amount: s.amount, to: l1EthReceiver })
    await finalized(s.chain, transactionHash)
    moveEth(s.chain, undefined, s.amount)
    ethWithdrawn += s.amount
    return true
  }
  await fc.assert(
    // Each sequence starts with a deposit of each asset, so the moves after them have something to move.
    fc.asyncProperty(depositOf('token'), depositOf('eth'), fc.array(step, { minLength: 2, maxLength: 5 }), async (first, second, rest) => {
      const steps = [first, second, ...rest]
      console.log(`steps: ${steps.map(describeStep).join(', ')}`)
      for (const s of steps) {
        if (s.kind === 'migrate') {
          await migrate(s.chain)
          await settled()
          continue
        }
        if (s.asset === 'eth') {
          if (await ethStep(s)) await settled()
          continue
        }
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
          await finalized(s.chain, transactionHash)
          model.set('l1', model.get('l1')! + s.amount)
        }
        await settled()
      }
    }),
    // The network keeps its state between runs, so shrinking would replay on another state: report the first failure as it is.
    { numRuns: 3, endOnFailure: true, includeErrorInReport: true, seed: Number(process.env.JUNCTION_SEED ?? Date.now() % 2 ** 31) },
  )
})
