/**
 * Delivery versus payment on two chains (docs/flows.md): a tokenised bond (contracts/examples/dvp/BondToken.sol,
 * an allow-list of holders) on the bond chain against cash, the shared bridge's canonical token of an L1 stablecoin,
 * on the cash chain. The cash chain is the flow's home chain: its FlowCoordinator holds the buyer's cash leg
 * itself, and a FlowEscrow holds the seller's bond leg on the bond chain. The seller's lock reaches the
 * coordinator as a proven message; the coordinator's decision reaches the bond escrow the same way.
 *
 * `prepareDvpDemo` deploys and funds; `runDvpDemo` runs one scenario (the settlement, or a failure path) and
 * reports each step with its time since the flow was created.
 */
import { demoChain, pollDemo } from './demoSupport.js'
import { erc20Abi, toHex, type Address, type Hex } from 'viem'
import { ChainConnection } from '../chain/ChainConnection.js'
import type { DevAccount } from '../chain/devAccounts.js'
import { walletFor } from '../chain/walletFor.js'
import * as c from '../contracts/generated/index.js'
import type { NetworkManifest, ZkChainInfo } from '../network/types.js'
import type { FlowTerms } from '../protocol/flow.js'
import { createFlow } from '../sdk/actions/createFlow.js'
import { deposit } from '../sdk/actions/deposit.js'
import { getFlowStatus, type GetFlowStatusReturnType } from '../sdk/actions/getFlowStatus.js'
import { lockLeg } from '../sdk/actions/lockLeg.js'
import { JunctionIndex } from '../sdk/JunctionIndex.js'

/** Everything {@link prepareDvpDemo} set up. */
export type DvpDemoSetup = {
  bondChain: ZkChainInfo
  /** The cash chain, the flow's home chain. */
  cashChain: ZkChainInfo
  issuer: DevAccount
  seller: DevAccount
  buyer: DevAccount
  bond: Address
  bondEscrow: Address
  coordinator: Address
  /** The cash: the bridged token of `l1Cash` on the cash chain. */
  cash: Address
  l1Cash: Address
}

/** Parameters of {@link prepareDvpDemo}. */
export type PrepareDvpDemoParameters = {
  manifest: NetworkManifest
  /** The bond's chain (default: the first chain) and the cash chain (default: the second). */
  bondChain?: string | number
  cashChain?: string | number
  /** Bonds issued to the seller (default 1 000) and cash deposited to the buyer (default 10 000 000). */
  bonds?: bigint
  cash?: bigint
  onProgress?: (message: string) => void
  timeoutMs?: number
}

/** The scenarios: the settlement, and its failure paths. */
export const DVP_SCENARIOS = ['settle', 'seller-absent', 'wrong-amount'] as const
export type DvpScenario = (typeof DVP_SCENARIOS)[number]

/** One reported step. */
export type DvpDemoStep = { name: string; at: number; sinceStart: number; detail: string }

/** Parameters of {@link runDvpDemo}. */
export type RunDvpDemoParameters = {
  manifest: NetworkManifest
  setup: DvpDemoSetup
  scenario?: DvpScenario
  /** Bonds sold (default 10) and their price in cash (default 10 000). */
  bonds?: bigint
  price?: bigint
  /** Seconds from the creation to the deadline, on the home chain's clock (default 30; 6 for the failure paths). */
  deadlineSeconds?: number
  onStep?: (step: DvpDemoStep) => void
  index?: JunctionIndex
  timeoutMs?: number
}

/** What {@link runDvpDemo} resolves with. */
export type DvpDemoResult = {
  scenario: DvpScenario
  terms: FlowTerms
  flowId: Hex
  outcome: 'released' | 'refunded'
  status: GetFlowStatusReturnType
  /** Balances before and after: the seller's and the buyer's bonds and cash. */
  before: DvpBalances
  after: DvpBalances
  steps: DvpDemoStep[]
  /** Transactions of the parties: the flow's creation and the two locks (the seller's is absent when it never locks). */
  transactions: { createFlow: Hex; buyerLock: Hex; sellerLock?: Hex }
}

export type DvpBalances = { sellerBonds: bigint; buyerBonds: bigint; sellerCash: bigint; buyerCash: bigint }

const poll = <T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number) => pollDemo('dvp', what, check, timeoutMs)

/**
 * Sets DvP up on a running network (its services must run): a BondToken on the bond chain (issuer: the last dev
 * user; seller, buyer and the escrow on its allow-list; bonds issued to the seller), a FlowEscrow there, a
 * FlowCoordinator on the cash chain, and cash: an L1 stablecoin deposited to the buyer on the cash chain.
 */
export async function prepareDvpDemo(parameters: PrepareDvpDemoParameters): Promise<DvpDemoSetup> {
  const { manifest } = parameters
  const progress = parameters.onProgress ?? (() => undefined)
  const timeoutMs = parameters.timeoutMs ?? 60_000
  const bondChain = demoChain(manifest, parameters.bondChain, 0, 'dvp')
  const cashChain = demoChain(manifest, parameters.cashChain, 1, 'dvp')
  if (bondChain.chainId === cashChain.chainId) throw new Error('dvp demo: the bond chain and the cash chain must differ')
  const users = manifest.accounts.users
  const [seller, buyer, issuer] = [users[0], users[1], users[users.length - 1]]
  if (!seller || !buyer || !issuer || new Set([seller.address, buyer.address, issuer.address]).size < 3) throw new Error('dvp demo: needs three distinct dev users')
  const bondConn = new ChainConnection(bondChain)
  const cashConn = new ChainConnection(cashChain)
  const l1 = new ChainConnection(manifest.l1)
  const interopCenter = manifest.l2Contracts.interopCenter

  progress(`deploying the bond and its escrow on ${bondChain.name}, the coordinator on ${cashChain.name}`)
  const bond = (await bondConn.deploy(issuer.privateKey, { abi: c.bondTokenAbi, bytecode: c.bondTokenBytecode, args: ['Junction Bond 2030', 'JB30'], action: 'deploy BondToken' })).address
  const bondEscrow = (await bondConn.deploy(issuer.privateKey, { abi: c.flowEscrowAbi, bytecode: c.flowEscrowBytecode, args: [interopCenter], action: 'deploy FlowEscrow' })).address
  const coordinator = (await cashConn.deploy(issuer.privateKey, { abi: c.flowCoordinatorAbi, bytecode: c.flowCoordinatorBytecode, args: [interopCenter], action: 'deploy FlowCoordinator' })).address
  for (const account of [seller.address, buyer.address, bondEscrow]) await bondConn.write(issuer.privateKey, { address: bond, abi: c.bondTokenAbi, functionName: 'setAllowed', args: [account, true] })
  await bondConn.write(issuer.privateKey, { address: bond, abi: c.bondTokenAbi, functionName: 'mint', args: [seller.address, parameters.bonds ?? 1_000n] })

  const cashAmount = parameters.cash ?? 10_000_000n
  progress(`depositing ${cashAmount} cash to the buyer on ${cashChain.name} through the shared bridge`)
  const l1Cash = (await l1.deploy(issuer.privateKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Demo USD', 'DUSD', 6], action: 'deploy the L1 stablecoin' })).address
  await l1.write(issuer.privateKey, { address: l1Cash, abi: c.testTokenAbi, functionName: 'mint', args: [buyer.address, cashAmount] })
  const { assetId } = await deposit(walletFor(manifest.l1, buyer.privateKey), { manifest, chainId: cashChain.chainId, token: l1Cash, amount: cashAmount })
  const cash = await poll(
    'the cash minted to the buyer',
    async () => {
      const token = (await cashConn.client.readContract({ address: manifest.l2Contracts.l2AssetRouter, abi: c.l2AssetRouterAbi, functionName: 'bridgedToken', args: [assetId] })) as Address
      if (/^0x0+$/.test(token)) return undefined
      const balance = await cashConn.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [buyer.address] })
      return balance >= cashAmount ? token : undefined
    },
    timeoutMs,
  )
  progress('ready')
  return { bondChain, cashChain, issuer, seller, buyer, bond, bondEscrow, coordinator, cash, l1Cash }
}

/** The seller's and buyer's bonds and cash. */
export async function readDvpBalances(setup: DvpDemoSetup): Promise<DvpBalances> {
  const bondConn = new ChainConnection(setup.bondChain)
  const cashConn = new ChainConnection(setup.cashChain)
  const of = (conn: ChainConnection, token: Address, owner: Address) => conn.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [owner] })
  const [sellerBonds, buyerBonds, sellerCash, buyerCash] = await Promise.all([
    of(bondConn, setup.bond, setup.seller.address),
    of(bondConn, setup.bond, setup.buyer.address),
    of(cashConn, setup.cash, setup.seller.address),
    of(cashConn, setup.cash, setup.buyer.address),
  ])
  return { sellerBonds, buyerBonds, sellerCash, buyerCash }
}

let demoSalt = 0

/**
 * Runs one DvP flow and reports its steps (`onStep`):
 * - `settle`: the buyer locks the cash, the seller locks the bonds; the coordinator releases both.
 * - `seller-absent`: the buyer locks, the seller never does; after the deadline the relayer's flow keeper refunds.
 * - `wrong-amount`: the seller locks one bond fewer than agreed: that is another flow id, so neither flow completes,
 *   and after the deadline both are refunded.
 * (The relayer down through the deadline is in test/e2e/flows.test.ts: it needs the services stopped.)
 * Resolves once every leg has its final state.
 */
export async function runDvpDemo(parameters: RunDvpDemoParameters): Promise<DvpDemoResult> {
  const { manifest, setup } = parameters
  const scenario = parameters.scenario ?? 'settle'
  const timeoutMs = parameters.timeoutMs ?? 120_000
  const index = parameters.index ?? new JunctionIndex(manifest)
  const bonds = parameters.bonds ?? 10n
  const price = parameters.price ?? 10_000n
  const cashConn = new ChainConnection(setup.cashChain)
  const homeTime = (await cashConn.client.getBlock({ blockTag: 'latest' })).timestamp
  const wallClock = BigInt(Math.floor(Date.now() / 1000))
  const deadline = (homeTime > wallClock ? homeTime : wallClock) + BigInt(parameters.deadlineSeconds ?? (scenario === 'settle' ? 30 : 6))
  const terms: FlowTerms = {
    homeChainId: BigInt(setup.cashChain.chainId),
    coordinator: setup.coordinator,
    deadline,
    salt: toHex(`dvp-${Date.now()}-${++demoSalt}`, { size: 32 }),
    legs: [
      { chainId: BigInt(setup.bondChain.chainId), escrow: setup.bondEscrow, token: setup.bond, amount: bonds, depositor: setup.seller.address, recipient: setup.buyer.address },
      { chainId: BigInt(setup.cashChain.chainId), escrow: setup.coordinator, token: setup.cash, amount: price, depositor: setup.buyer.address, recipient: setup.seller.address },
    ],
  }
  const steps: DvpDemoStep[] = []
  const started = Date.now()
  const step = (name: string, detail: string) => {
    const at = Date.now()
    const s = { name, at, sinceStart: at - started, detail }
    steps.push(s)
    parameters.onStep?.(s)
  }
  const before = await readDvpBalances(setup)
  const sellerOnBondChain = walletFor(setup.bondChain, setup.seller.privateKey)
  const buyerOnCashChain = walletFor(setup.cashChain, setup.buyer.privateKey)

  const { flowId, transactionHash: createFlowTx } = await createFlow(buyerOnCashChain, { terms })
  step('created', `flow ${flowId} on ${setup.cashChain.name}: ${bonds} JB30 on ${setup.bondChain.name} against ${price} DUSD on ${setup.cashChain.name}, deadline ${deadline} (home clock)`)
  const buyerLock = (await lockLeg(buyerOnCashChain, { terms, legIndex: 1 })).transactionHash
  let sellerLock: Hex | undefined
  step('buyer-locked', `${price} DUSD locked in the coordinator on ${setup.cashChain.name}`)
  let sellersTerms = terms
  if (scenario === 'wrong-amount') {
    sellersTerms = { ...terms, legs: [{ ...terms.legs[0]!, amount: bonds - 1n }, terms.legs[1]!] }
  }
  if (scenario !== 'seller-absent') {
    const { lockMessage, transactionHash } = await lockLeg(sellerOnBondChain, { terms: sellersTerms, legIndex: 0 })
    sellerLock = transactionHash
    step('seller-locked', `${sellersTerms.legs[0]!.amount} JB30 locked in the escrow on ${setup.bondChain.name}${scenario === 'wrong-amount' ? ' (one fewer than agreed: another flow id)' : ''}; "locked" message ${lockMessage}`)
  } else {
    step('seller-absent', 'the seller does not lock')
  }

  let recorded = false
  let decided = false
  let deadlineSeen = false
  const status = await poll(
    'every leg settled',
    async () => {
      const s = await getFlowStatus(index, { terms })
      if (!deadlineSeen && s.homeTime > deadline) {
        deadlineSeen = true
        step('deadline-passed', `home chain time ${s.homeTime} > deadline ${deadline}`)
      }
      if (!recorded && s.recordedLegs.includes(0)) {
        recorded = true
        step('lock-proven', `the coordinator on ${setup.cashChain.name} recorded the seller's lock from its proven message`)
      }
      if (!decided && (s.status === 'released' || s.status === 'refunded')) {
        decided = true
        step(s.status, s.status === 'released' ? `both legs locked by the deadline: released; the seller has the cash on ${setup.cashChain.name}` : `deadline passed without both legs: refunded; the buyer has the cash back on ${setup.cashChain.name}`)
      }
      return s.settled ? s : undefined
    },
    timeoutMs,
  )
  step(status.status === 'released' ? 'bonds-delivered' : 'bond-leg-settled', status.status === 'released' ? `the release message executed on ${setup.bondChain.name}: the buyer holds the bonds` : `the refund message executed on ${setup.bondChain.name}: bond leg ${status.legs[0]!.state}`)
  if (scenario === 'wrong-amount') {
    const other = await poll('the seller’s flow refunded', async () => {
      const s = await getFlowStatus(index, { terms: sellersTerms })
      return s.settled ? s : undefined
    }, timeoutMs)
    step('seller-refunded', `the seller's own flow (${other.flowId}) refunded: bond leg ${other.legs[0]!.state}`)
  }
  return { scenario, terms, flowId, outcome: status.status === 'released' ? 'released' : 'refunded', status, before, after: await readDvpBalances(setup), steps, transactions: { createFlow: createFlowTx, buyerLock, ...(sellerLock ? { sellerLock } : {}) } }
}
