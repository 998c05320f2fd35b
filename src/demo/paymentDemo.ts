/**
 * The ISO 20022 cross-border payment (docs/payments.md): bank A and bank B each issue deposit tokens to
 * their customers on their own chain and settle between them in the shared bridge's canonical cash token.
 * A pacs.008.001.08 from bank A is validated, checked against the bank directory, and paid in ONE
 * bundle: Alice's deposit tokens debited on bank A's chain, the cash moved to bank B, Bob credited on bank
 * B's chain. The XML goes to bank B's service off the public chains, which checks it against its chain.
 *
 * The banks' chains are parameters: the banks' private chains (`bank-a`, `bank-b`) when the network has
 * them (the default of `junction up`), else two public ZK chains (`alpha`, `beta`). The demo plays the banks'
 * payment services, which reach their chains' nodes directly (the manifest as `nodeManifest` gives it);
 * customers read their own deposit balance through the chain's permissioned RPC.
 *
 * `preparePaymentDemo` deploys and funds both banks; `runPaymentDemo` pays one message and reports each
 * step with its time since the message was read.
 */
import { erc20Abi, type Address, type Hex } from 'viem'
import { ChainConnection } from '../chain/ChainConnection.js'
import { devAccount, type DevAccount } from '../chain/devAccounts.js'
import { privateKeyToAccount } from 'viem/accounts'
import { walletFor } from '../chain/walletFor.js'
import * as c from '../contracts/generated/index.js'
import type { NetworkManifest, ZkChainInfo } from '../network/types.js'
import type { BankDirectory } from '../payments/bankDirectory.js'
import { checkPayment } from '../payments/checkPayment.js'
import { parsePacs008 } from '../payments/parsePacs008.js'
import { DEFAULT_ROLES, PRIVIDIUM_DEV_ROLES, erc20Rules } from '../prividium/defaultConfig.js'
import { PrividiumApiClient } from '../prividium/PrividiumApiClient.js'
import { assetId } from '../protocol/bridge.js'
import { deposit } from '../sdk/actions/deposit.js'
import { getIsoPayment } from '../sdk/actions/getIsoPayment.js'
import { getPaymentStatusReport } from '../sdk/actions/getPaymentStatusReport.js'
import { sendIsoPayment } from '../sdk/actions/sendIsoPayment.js'
import { verifyIsoPayment } from '../sdk/actions/verifyIsoPayment.js'
import { getIsoPaymentMessage } from '../sdk/actions/getIsoPaymentMessage.js'
import { waitForDeposit } from '../sdk/actions/waitForDeposit.js'
import { waitForMessage } from '../sdk/actions/waitForMessage.js'
import { JunctionIndex } from '../sdk/JunctionIndex.js'
import { demoChain } from './demoSupport.js'

/** The example message's banks and accounts (examples/payments/pacs008.xml). */
export const DEMO_BANKS = {
  a: { bic: 'BKAADEFFXXX', name: 'Bank A', customerAccount: 'DE44500105175407324931' },
  b: { bic: 'BKBBGB2LXXX', name: 'Bank B', customerAccount: 'GB33BUKB20201555555555' },
} as const

/**
 * An account bank A's directory still lists at bank B (Carol's) but bank B never opened on its chain: a
 * payment to it passes bank A's checks and is rejected by bank B with `AC03` (examples/payments/pacs008-rejected.xml).
 */
export const DEMO_CLOSED_ACCOUNT = 'GB82WEST12345698765432'

/** The private bank chains `junction up` starts: the demo's default when the network has both. */
export const PRIVATE_BANK_CHAINS = ['bank-a', 'bank-b'] as const

/** Carol's address (she never signs): dev account 7, not one of the network's dev users. */
const CAROL_DEV_ACCOUNT = 7

/** `PaymentBank.AccountState.Open`. */
const ACCOUNT_OPEN = 1

/** One bank as set up on its chain. */
export type PaymentDemoBank = {
  bic: string
  name: string
  chain: ZkChainInfo
  /** The bank's operator (its payment service's key). */
  operator: DevAccount
  paymentBank: Address
  depositToken: Address
  /** Its customer (Alice at bank A, Bob at bank B) and the customer's account id. */
  customer: Address
  customerAccount: string
}

/** Everything {@link preparePaymentDemo} set up. */
export type PaymentDemoSetup = {
  a: PaymentDemoBank
  b: PaymentDemoBank
  currency: string
  decimals: number
  /** The canonical cash token on L1 and its asset id in the shared bridge. */
  l1Cash: Address
  cashAssetId: Hex
  directory: BankDirectory
}

/** Parameters of {@link preparePaymentDemo}. */
export type PreparePaymentDemoParameters = {
  manifest: NetworkManifest
  /** Bank A's chain and bank B's chain, by name or id (default: the private chains `bank-a` and `bank-b` when the network has them, else its first two chains). */
  debtorChain?: string | number
  creditorChain?: string | number
  /** Cash each bank deposits from L1 to its PaymentBank, in units (default 1 000 000.00 EUR). */
  cash?: bigint
  /** Deposit tokens bank A issues to Alice, in units (default 10 000.00 EUR). */
  aliceBalance?: bigint
  onProgress?: (message: string) => void
  timeoutMs?: number
}

/**
 * Sets both banks up on a running network (its services must run): the canonical cash token (`EURC`,
 * 2 decimals) on L1, a PaymentBank (and its deposit token) on each bank's chain, each the other's
 * correspondent, cash deposited from L1 to both, Alice's account open at bank A with deposit tokens, Bob's
 * open at bank B. Dev users 0 and 1 operate bank A and bank B; users 2 and 3 are Alice and Bob; dev account 7
 * is Carol, whose account the directory lists at bank B but bank B never opened ({@link DEMO_CLOSED_ACCOUNT}).
 */
export async function preparePaymentDemo(parameters: PreparePaymentDemoParameters): Promise<PaymentDemoSetup> {
  const { manifest } = parameters
  const progress = parameters.onProgress ?? (() => undefined)
  const timeoutMs = parameters.timeoutMs ?? 60_000
  // The banks' private chains when the network has them (`junction up` starts bank-a and bank-b), else the first two chains.
  const privateBanks = PRIVATE_BANK_CHAINS.every((name) => manifest.chains.some((chain) => chain.name === name))
  const chainA = demoChain(manifest, parameters.debtorChain ?? (privateBanks ? PRIVATE_BANK_CHAINS[0] : undefined), 0, 'payment')
  const chainB = demoChain(manifest, parameters.creditorChain ?? (privateBanks ? PRIVATE_BANK_CHAINS[1] : undefined), 1, 'payment')
  if (chainA.chainId === chainB.chainId) throw new Error('payment demo: the two banks need two different chains')
  const [operatorA, operatorB, alice, bob] = manifest.accounts.users
  if (!operatorA || !operatorB || !alice || !bob) throw new Error('payment demo: needs four dev users (two bank operators, Alice, Bob)')
  const carol = devAccount(CAROL_DEV_ACCOUNT)
  const cash = parameters.cash ?? 100_000_000n
  const aliceBalance = parameters.aliceBalance ?? 1_000_000n
  const decimals = 2

  const l1 = new ChainConnection(manifest.l1)
  progress('deploying the canonical cash token EURC on L1')
  const l1Cash = (await l1.deploy(operatorA.privateKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Junction EUR cash', 'EURC', decimals], action: 'deploy TestToken EURC' })).address
  const cashAssetId = assetId({ originChainId: manifest.l1.chainId, originVault: manifest.l1.contracts.nativeTokenVault, originToken: l1Cash })

  const deployBank = async (chain: ZkChainInfo, operator: DevAccount, name: string, symbol: string) => {
    progress(`deploying ${name}'s PaymentBank on ${chain.name}`)
    const connection = new ChainConnection(chain)
    const { address } = await connection.deploy(operator.privateKey, {
      abi: c.paymentBankAbi,
      bytecode: c.paymentBankBytecode,
      args: [manifest.l2Contracts.interopCenter, manifest.l2Contracts.l2AssetRouter, manifest.l2Contracts.interopHandler, cashAssetId, `${name} EUR deposit`, symbol, decimals],
      action: `deploy PaymentBank ${name}`,
    })
    const depositToken = (await connection.client.readContract({ address, abi: c.paymentBankAbi, functionName: 'depositToken' })) as Address
    return { connection, address, depositToken }
  }
  const bankA = await deployBank(chainA, operatorA, DEMO_BANKS.a.name, 'aEUR')
  const bankB = await deployBank(chainB, operatorB, DEMO_BANKS.b.name, 'bEUR')
  await bankA.connection.write(operatorA.privateKey, { address: bankA.address, abi: c.paymentBankAbi, functionName: 'setCorrespondent', args: [BigInt(chainB.chainId), bankB.address], action: 'setCorrespondent' })
  await bankB.connection.write(operatorB.privateKey, { address: bankB.address, abi: c.paymentBankAbi, functionName: 'setCorrespondent', args: [BigInt(chainA.chainId), bankA.address], action: 'setCorrespondent' })

  progress(`depositing ${cash} units of EURC cash from L1 to each bank's PaymentBank`)
  const fund = async (operator: DevAccount, chain: ZkChainInfo, paymentBank: Address) => {
    await l1.write(operatorA.privateKey, { address: l1Cash, abi: c.testTokenAbi, functionName: 'mint', args: [operator.address, cash], action: 'mint EURC' })
    const { requestIndex } = await deposit(walletFor(manifest.l1, operator.privateKey), { manifest, chainId: chain.chainId, token: l1Cash, amount: cash, to: paymentBank })
    return { chain, requestIndex }
  }
  const deposits = [await fund(operatorA, chainA, bankA.address), await fund(operatorB, chainB, bankB.address)]
  await Promise.all(deposits.map((d) => waitForDeposit(new ChainConnection(d.chain).client, { manifest, requestIndex: d.requestIndex, timeoutMs })))

  progress(`bank A opens Alice's account and issues ${aliceBalance} units of aEUR to her; bank B opens Bob's account`)
  await bankA.connection.write(operatorA.privateKey, { address: bankA.address, abi: c.paymentBankAbi, functionName: 'setAccount', args: [alice.address, ACCOUNT_OPEN], action: 'open Alice' })
  await bankA.connection.write(operatorA.privateKey, { address: bankA.address, abi: c.paymentBankAbi, functionName: 'issue', args: [alice.address, aliceBalance], action: 'issue aEUR' })
  await bankB.connection.write(operatorB.privateKey, { address: bankB.address, abi: c.paymentBankAbi, functionName: 'setAccount', args: [bob.address, ACCOUNT_OPEN], action: 'open Bob' })

  // On a private chain, the bank's admin lets each member read its own deposit-token balance through the
  // chain's permissioned RPC (and nothing else of the bank's contracts: its PaymentBank has no rule).
  for (const [chain, deployed] of [[chainA, bankA], [chainB, bankB]] as const) {
    if (!chain.apiBaseUrl) continue
    progress(`${chain.name}: the admin lets members read their own ${chain === chainA ? 'aEUR' : 'bEUR'} balance through the permissioned RPC`)
    const admin = new PrividiumApiClient({ apiBaseUrl: chain.apiBaseUrl, account: privateKeyToAccount(devAccount(PRIVIDIUM_DEV_ROLES.admin).privateKey) })
    const rules = erc20Rules(deployed.depositToken, [DEFAULT_ROLES.member])
    for (const rule of rules.contractRules) await admin.request('POST', '/api/admin/contract-rules', rule)
    for (const rule of rules.eventRules) await admin.request('POST', '/api/admin/event-rules', rule)
  }

  const bank = (which: 'a' | 'b', chain: ZkChainInfo, operator: DevAccount, deployed: { address: Address; depositToken: Address }, customer: DevAccount): PaymentDemoBank => ({
    bic: DEMO_BANKS[which].bic,
    name: DEMO_BANKS[which].name,
    chain,
    operator,
    paymentBank: deployed.address,
    depositToken: deployed.depositToken,
    customer: customer.address,
    customerAccount: DEMO_BANKS[which].customerAccount,
  })
  const a = bank('a', chainA, operatorA, bankA, alice)
  const b = bank('b', chainB, operatorB, bankB, bob)
  const directory: BankDirectory = {
    currencies: { EUR: { decimals } },
    banks: [a, b].map((x) => ({ bic: x.bic, name: x.name, chain: x.chain.name, contracts: { EUR: x.paymentBank }, accounts: { [x.customerAccount]: x.customer, ...(x === b ? { [DEMO_CLOSED_ACCOUNT]: carol.address } : {}) } })),
  }
  return { a, b, currency: 'EUR', decimals, l1Cash, cashAssetId, directory }
}

/** Balances the demo reports: deposit tokens of both customers, each bank's cash. */
export type PaymentDemoBalances = { alice: bigint; bob: bigint; cashA: bigint; cashB: bigint }

/** Reads Alice's and Bob's deposit tokens and both banks' cash on their chains. */
export async function readPaymentBalances(setup: PaymentDemoSetup): Promise<PaymentDemoBalances> {
  const onChain = (bank: PaymentDemoBank) => new ChainConnection(bank.chain).client
  const [alice, bob, cashA, cashB] = await Promise.all([
    onChain(setup.a).readContract({ address: setup.a.depositToken, abi: erc20Abi, functionName: 'balanceOf', args: [setup.a.customer] }),
    onChain(setup.b).readContract({ address: setup.b.depositToken, abi: erc20Abi, functionName: 'balanceOf', args: [setup.b.customer] }),
    onChain(setup.a).readContract({ address: setup.a.paymentBank, abi: c.paymentBankAbi, functionName: 'cashHeld' }) as Promise<bigint>,
    onChain(setup.b).readContract({ address: setup.b.paymentBank, abi: c.paymentBankAbi, functionName: 'cashHeld' }) as Promise<bigint>,
  ])
  return { alice, bob, cashA, cashB }
}

/** One reported step of a payment. */
export type PaymentDemoStep = {
  /** validated (nothing sent yet), debited (bank A), credited or rejected (bank B decided), answered (bank A has the pacs.002), verified (bank B checked the XML). */
  name: 'validated' | 'debited' | 'credited' | 'rejected' | 'answered' | 'verified'
  /** Wall clock (ms since epoch) when the demo observed the step. */
  at: number
  /** ms since the message was read. */
  sinceStart: number
  detail: string
}

/** Parameters of {@link runPaymentDemo}. */
export type RunPaymentDemoParameters = {
  manifest: NetworkManifest
  setup: PaymentDemoSetup
  /** The pacs.008 message (XML text). */
  xml: string
  onStep?: (step: PaymentDemoStep) => void
  index?: JunctionIndex
  timeoutMs?: number
}

/** What {@link runPaymentDemo} resolves with. */
export type PaymentDemoResult = {
  uetr: string
  units: bigint
  messageHash: Hex
  bundleHash: Hex
  transactionHash: Hex
  /** Bank B's answer: `ACSC`, or `RJCT` with `reason`. */
  status: 'ACSC' | 'RJCT'
  reason: string | undefined
  /** The pacs.002.001.10 status report bank A holds, built from its chain's record. */
  statusReport: string
  answerBundleHash: Hex
  before: PaymentDemoBalances
  after: PaymentDemoBalances
  steps: PaymentDemoStep[]
  /** ms from reading the pacs.008 to the creditor credited on bank B's chain (the payment's bundle executed there and its record read); undefined when bank B refused it. */
  creditedMs: number | undefined
  /** ms from reading the pacs.008 to bank A holding the pacs.002 (the answer executed on its chain). */
  answeredMs: number
  /** ms from reading the message to the last step. */
  totalMs: number
  /**
   * Gas of bank A's `sendPayment` transaction, and of the transactions that executed the payment on bank
   * B's chain and the answer on bank A's (the relayer may have executed other bundles in them).
   */
  gas: { sendPayment: bigint; execution: bigint | undefined; answer: bigint | undefined }
}

/**
 * Pays one pacs.008 from bank A to bank B and reports each step: validated (schema and directory),
 * debited (Alice's deposit tokens debited and held, the bundle sent on bank A's chain), credited or
 * rejected (the bundle executed on bank B's chain: Bob credited, or bank B refused with an ISO reason code
 * and sent the cash back), answered (bank B's answer executed on bank A's chain: the debit settled, or
 * Alice re-credited; the pacs.002 built from bank A's record), verified (accepted payments: bank B's service
 * checked the XML it was handed against its chain). A message refused before sending throws.
 */
export async function runPaymentDemo(parameters: RunPaymentDemoParameters): Promise<PaymentDemoResult> {
  const { manifest, setup } = parameters
  const timeoutMs = parameters.timeoutMs ?? 60_000
  const index = parameters.index ?? new JunctionIndex(manifest)
  const steps: PaymentDemoStep[] = []
  const t0 = Date.now()
  const report = (name: PaymentDemoStep['name'], detail: string) => {
    const at = Date.now()
    const step = { name, at, sinceStart: at - t0, detail }
    steps.push(step)
    parameters.onStep?.(step)
  }

  const instruction = checkPayment(parsePacs008(parameters.xml), setup.directory)
  const { uetr } = instruction.message.transaction
  report('validated', `pacs.008 ${instruction.message.groupHeader.messageId}, UETR ${uetr}: ${instruction.message.transaction.amount.value} ${instruction.currency} = ${instruction.units} units, ${instruction.debtorBank.bic} → ${instruction.creditorBank.bic}, message hash ${instruction.messageHash}`)
  const before = await readPaymentBalances(setup)

  const sent = await sendIsoPayment(walletFor(setup.a.chain, setup.a.operator.privateKey), { xml: parameters.xml, directory: setup.directory, manifest })
  report('debited', `${setup.a.name} on ${setup.a.chain.name}: ${instruction.units} aEUR debited from ${instruction.debtor} and held until bank B answers, bundle ${sent.bundleHash} sent (transaction ${sent.transactionHash})`)

  const executed = await waitForMessage(index, { bundleHash: sent.bundleHash, timeoutMs, pollMs: 20 })
  const execution = executed.executedIn ? await new ChainConnection(setup.b.chain).waitForReceipt(executed.executedIn, timeoutMs) : undefined
  const bClient = new ChainConnection(setup.b.chain).client
  const { received } = await getIsoPayment(bClient, { paymentBank: setup.b.paymentBank, uetr })
  if (received?.status === 'accepted') {
    report('credited', `${setup.b.name} on ${setup.b.chain.name}: bundle executed (transaction ${executed.executedIn ?? 'unknown'}), ${instruction.units} EURC cash received, ${instruction.units} bEUR credited to ${instruction.creditor}; ACSC sent back in bundle ${received.answerBundleHash}`)
  } else {
    report('rejected', `${setup.b.name} on ${setup.b.chain.name}: bundle executed (transaction ${executed.executedIn ?? 'unknown'}), payment refused${received?.reason ? ` with ${received.reason}` : ''}: nobody credited, the ${instruction.units} EURC cash sent back to ${setup.a.name}${received?.answerBundleHash ? ` in bundle ${received.answerBundleHash}` : ''}`)
  }

  const answered = await getPaymentStatusReport(new ChainConnection(setup.a.chain).client, { xml: parameters.xml, directory: setup.directory, manifest, timeoutMs, pollMs: 20 })
  if (answered.status === 'PDNG' || !answered.xml || !answered.record.answerBundleHash) throw new Error(`payment demo: ${uetr} still pending on ${setup.a.chain.name} after the wait`)
  const answerBundleHash = answered.record.answerBundleHash
  report('answered', `${setup.a.name} on ${setup.a.chain.name}: pacs.002 ${answered.status}${answered.report?.reason ? ` ${answered.report.reason}` : ''} recorded under the UETR (answer bundle ${answerBundleHash}); ${answered.status === 'ACSC' ? 'the held debit is settled' : `the cash came back and ${instruction.units} aEUR were re-credited to ${instruction.debtor}`}`)
  const answerStatus = await waitForMessage(index, { bundleHash: answerBundleHash, timeoutMs, pollMs: 20 })
  const answerExecution = answerStatus.executedIn ? await new ChainConnection(setup.a.chain).waitForReceipt(answerStatus.executedIn, timeoutMs) : undefined

  if (answered.status === 'ACSC') {
    // The XML travelled in the bundle: bank B's service reads it back from its chain and checks it.
    const delivered = await getIsoPaymentMessage(bClient, { paymentBank: setup.b.paymentBank, uetr })
    if (!delivered) throw new Error(`payment demo: ${setup.b.chain.name} emitted no message for ${uetr}`)
    await verifyIsoPayment(bClient, { xml: delivered.xml, directory: setup.directory, manifest })
    report('verified', `${setup.b.name}'s service read the message from ${setup.b.chain.name} (it came with the bundle); its keccak256, amount and creditor match the payment recorded there under UETR ${uetr}`)
  }
  const after = await readPaymentBalances(setup)
  return {
    uetr,
    units: instruction.units,
    messageHash: instruction.messageHash,
    bundleHash: sent.bundleHash,
    transactionHash: sent.transactionHash,
    status: answered.status,
    reason: answered.report?.reason,
    statusReport: answered.xml,
    answerBundleHash,
    before,
    after,
    steps,
    creditedMs: steps.find((s) => s.name === 'credited')?.sinceStart,
    answeredMs: steps.find((s) => s.name === 'answered')!.sinceStart,
    totalMs: steps.at(-1)!.sinceStart,
    gas: { sendPayment: sent.receipt.gasUsed, execution: execution?.gasUsed, answer: answerExecution?.gasUsed },
  }
}
