/**
 * Multi-bank instruction sync (docs/instructions.md): a syndicated loan payment that three banks must each approve
 * before it executes, with a copy in each bank's InstructionBook on its own chain, kept in step by interop messages.
 * Each bank pays its share to the borrower on its own chain when its copy executes.
 *
 * The banks' chains: the network's private chains first (`bank-a`, `bank-b`, ...), then its public chains, the
 * first three (or the chains named). The demo plays the banks' operators with the dev users' keys, and reads
 * private chains through their nodes, as the CLI does on the operator's data dir.
 *
 * `prepareInstructionDemo` deploys a book and a deposit token per bank (on a private chain, the chain's admin lets
 * the relayer's InstructionKeeper send the book's `expire` through the permissioned RPC); `runInstructionDemo` runs one instruction
 * (every bank approves, or one bank cancels while another approves) and reports each step with its time.
 */
import { erc20Abi, keccak256, toHex, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../chain/ChainConnection.js'
import { devAccount, type DevAccount } from '../chain/devAccounts.js'
import { walletFor } from '../chain/walletFor.js'
import * as c from '../contracts/generated/index.js'
import { nodeManifest } from '../network/privateChains.js'
import type { NetworkManifest, ZkChainInfo } from '../network/types.js'
import { PRIVIDIUM_DEV_ROLES, relayerWriteRule } from '../prividium/defaultConfig.js'
import { PrividiumApiClient } from '../prividium/PrividiumApiClient.js'
import type { Instruction } from '../protocol/instruction.js'
import { approveInstruction } from '../sdk/actions/approveInstruction.js'
import { cancelInstruction } from '../sdk/actions/cancelInstruction.js'
import { confirmInstruction } from '../sdk/actions/confirmInstruction.js'
import { getInstructionStatus, type GetInstructionStatusReturnType } from '../sdk/actions/getInstructionStatus.js'
import { proposeInstruction } from '../sdk/actions/proposeInstruction.js'
import type { JunctionIndex } from '../sdk/JunctionIndex.js'
import { demoChain, pollDemo } from './demoSupport.js'

/** One bank as set up on its chain. */
export type InstructionDemoBank = {
  chain: ZkChainInfo
  /** The bank's operator: it proposes, approves and cancels on its book. */
  operator: DevAccount
  book: Address
  /** The bank's deposit token on its chain, in which it pays its share. */
  token: Address
}

/** Everything {@link prepareInstructionDemo} set up. */
export type InstructionDemoSetup = {
  banks: InstructionDemoBank[]
  /** The borrower, paid on every bank's chain. */
  payee: Address
}

/** The demo's scenarios: every bank approves, or bank 3 cancels while bank 2 approves. */
export const INSTRUCTION_SCENARIOS = ['execute', 'cancel'] as const
/** The demo's instructions expire this long after they are made: each bank must confirm before, on its chain's clock. */
export const INSTRUCTION_DEMO_EXPIRY_SECONDS = 600
export type InstructionScenario = (typeof INSTRUCTION_SCENARIOS)[number]

/** Parameters of {@link prepareInstructionDemo}. */
export type PrepareInstructionDemoParameters = {
  manifest: NetworkManifest
  /** The three banks' chains, by name or id (default: private chains first, then public ones). */
  chains?: readonly (string | number)[]
  onProgress?: (message: string) => void
}

/**
 * Deploys an InstructionBook and a deposit token for each of three banks (dev users 0, 1, 2 operate them; user 3
 * is the borrower) and mints each operator its deposit tokens.
 *
 * @example
 * ```ts
 * const setup = await prepareInstructionDemo({ manifest })
 * ```
 */
export async function prepareInstructionDemo(parameters: PrepareInstructionDemoParameters): Promise<InstructionDemoSetup> {
  const manifest = nodeManifest(parameters.manifest)
  const progress = parameters.onProgress ?? (() => undefined)
  const ordered = [...manifest.chains.filter((chain) => chain.private), ...manifest.chains.filter((chain) => !chain.private && chain.role !== 'gateway')]
  const chains = [0, 1, 2].map((i) => (parameters.chains?.[i] !== undefined ? demoChain(manifest, parameters.chains[i], i, 'instruction') : ordered[i] ?? demoChain(manifest, undefined, i, 'instruction')))
  if (new Set(chains.map((chain) => chain.chainId)).size !== 3) throw new Error('instruction demo: the three banks need three different chains')
  const users = manifest.accounts.users
  const payee = users[3]
  if (!payee) throw new Error('instruction demo: needs four dev users (three bank operators and the borrower)')
  const banks: InstructionDemoBank[] = []
  for (const [i, chain] of chains.entries()) {
    const operator = users[i]!
    const connection = new ChainConnection(chain)
    progress(`deploying bank ${i + 1}'s InstructionBook and deposit token on ${chain.name}`)
    const book = (await connection.deploy(operator.privateKey, { abi: c.instructionBookAbi, bytecode: c.instructionBookBytecode, args: [manifest.l2Contracts.interopCenter, operator.address], action: 'deploy InstructionBook' })).address
    const token = (await connection.deploy(operator.privateKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: [`Bank ${i + 1} deposit`, `DEP${i + 1}`, 2], action: 'deploy deposit token' })).address
    await connection.write(operator.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [operator.address, 10n ** 12n], action: 'mint deposit tokens' })
    if (chain.apiBaseUrl) {
      // The relayer's InstructionKeeper expires copies past their expiry; on a private chain it sends through the
      // permissioned RPC, whose rules name no contract deployed since: the chain's admin adds the book's `expire`.
      progress(`${chain.name}: the admin lets the relayer expire the book's instructions through the permissioned RPC`)
      const admin = new PrividiumApiClient({ apiBaseUrl: chain.apiBaseUrl, account: privateKeyToAccount(devAccount(PRIVIDIUM_DEV_ROLES.admin).privateKey) })
      await admin.request('POST', '/api/admin/contract-rules', relayerWriteRule(book, c.instructionBookAbi, 'expire'))
    }
    banks.push({ chain, operator, book, token })
  }
  return { banks, payee: payee.address }
}

/** One step of the demo, with its time. */
export type InstructionDemoStep = { name: string; at: number; sinceProposal: number; detail: string }

/** What {@link runInstructionDemo} resolves with. */
export type InstructionDemoResult = {
  instruction: Instruction
  outcome: 'executed' | 'cancelled'
  status: GetInstructionStatusReturnType
  steps: InstructionDemoStep[]
  /** The borrower's balance on each bank's chain, before and after. */
  payeeBefore: bigint[]
  payeeAfter: bigint[]
  /** The banks' transactions (proposal and votes), each on its bank's chain, in the order they were sent. */
  transactions: { bank: number; chainId: number; transactionHash: Hex }[]
}

/** Parameters of {@link runInstructionDemo}. */
export type RunInstructionDemoParameters = {
  manifest: NetworkManifest
  setup: InstructionDemoSetup
  /** An index over the operator's view of the network (private chains through their nodes). */
  index: JunctionIndex
  scenario?: InstructionScenario
  /** Each bank's share, in its token's units (default 250.00). */
  share?: bigint
  timeoutMs?: number
  onStep?: (step: InstructionDemoStep) => void
}

/**
 * Runs one instruction with the network's relayer delivering the updates: bank 1 proposes; once the proposal
 * reached banks 2 and 3, `execute`: all three approve and every copy executes, each paying the borrower its share;
 * `cancel`: bank 2 approves while bank 3 cancels, and every copy ends cancelled (bank 2's share comes back).
 *
 * @example
 * ```ts
 * const result = await runInstructionDemo({ manifest, setup, index, scenario: 'execute', onStep: console.log })
 * ```
 */
export async function runInstructionDemo(parameters: RunInstructionDemoParameters): Promise<InstructionDemoResult> {
  const { setup, index } = parameters
  const scenario = parameters.scenario ?? 'execute'
  const timeoutMs = parameters.timeoutMs ?? 60_000
  const share = parameters.share ?? 25_000n
  const [a, b, c3] = setup.banks as [InstructionDemoBank, InstructionDemoBank, InstructionDemoBank]
  const wallet = (bank: InstructionDemoBank) => walletFor(bank.chain, bank.operator.privateKey)
  const transactions: InstructionDemoResult['transactions'] = []
  const signed = async <T extends { transactionHash: Hex }>(bank: InstructionDemoBank, sending: Promise<T>): Promise<T> => {
    const sent = await sending
    transactions.push({ bank: setup.banks.indexOf(bank) + 1, chainId: bank.chain.chainId, transactionHash: sent.transactionHash })
    return sent
  }
  const payeeBalances = () => Promise.all(setup.banks.map((bank) => new ChainConnection(bank.chain).client.readContract({ address: bank.token, abi: erc20Abi, functionName: 'balanceOf', args: [setup.payee] })))
  const nonce = `${Date.now()}-${Math.random()}`
  const instruction: Instruction = {
    termsHash: keccak256(toHex(`syndicated loan: interest payment ${nonce}`)),
    salt: keccak256(toHex(nonce)),
    expiry: BigInt(Math.floor(Date.now() / 1000) + INSTRUCTION_DEMO_EXPIRY_SECONDS),
    proposer: 0n,
    members: setup.banks.map((bank) => ({ chainId: BigInt(bank.chain.chainId), book: bank.book, token: bank.token, amount: share, payee: setup.payee })),
  }
  const steps: InstructionDemoStep[] = []
  let start = 0
  const step = (name: string, detail: string) => {
    const at = Date.now()
    const s = { name, at, sinceProposal: at - start, detail }
    steps.push(s)
    parameters.onStep?.(s)
  }
  const status = () => getInstructionStatus(index, { instruction })
  const payeeBefore = await payeeBalances()

  start = Date.now()
  const proposed = await signed(a, proposeInstruction(wallet(a), { instruction }))
  step('proposed', `bank 1 proposed ${proposed.instructionId} on ${a.chain.name}; ${proposed.updates.length} updates sent`)
  await pollDemo('instruction', 'the proposal on banks 2 and 3', async () => ((await status()).copies.slice(1).every((copy) => copy.status !== 'unknown') ? true : undefined), timeoutMs)
  step('proposal-delivered', `banks 2 and 3 (${b.chain.name}, ${c3.chain.name}) hold a copy`)
  if (scenario === 'execute') {
    await Promise.all([signed(b, approveInstruction(wallet(b), { instruction })), signed(c3, approveInstruction(wallet(c3), { instruction }))])
    step('approved-2-3', `banks 2 and 3 approved, each escrowing ${share} on its chain`)
    await signed(a, approveInstruction(wallet(a), { instruction }))
    step('approved-1', 'bank 1 approved')
    await pollDemo('instruction', 'every approval on every copy', async () => ((await status()).copies.every((copy) => copy.votes.every((v) => v.vote === 'approved')) ? true : undefined), timeoutMs)
    step('approvals-delivered', 'every copy knows the three approvals')
    const confirmed = await Promise.all([a, b, c3].map((bank) => signed(bank, confirmInstruction(wallet(bank), { instruction }))))
    step('confirmed', `the three banks confirmed; bank 1's copy is ${confirmed[0]!.status}`)
  } else {
    await Promise.all([signed(b, approveInstruction(wallet(b), { instruction })), signed(c3, cancelInstruction(wallet(c3), { instruction }))])
    step('approve-and-cancel', `bank 2 approved while bank 3 cancelled, before either heard of the other`)
  }
  const expected = scenario === 'execute' ? 'executed' : 'cancelled'
  const final = await pollDemo('instruction', `every copy ${expected}`, async () => {
    const s = await status()
    return s.converged && s.outcome === expected ? s : undefined
  }, timeoutMs)
  step(expected, `every copy ${expected}, holding the votes [${final.copies[0]!.votes.map((v) => v.vote).join(', ')}]`)
  const payeeAfter = await payeeBalances()
  return { instruction, outcome: expected, status: final, steps, payeeBefore, payeeAfter, transactions }
}
