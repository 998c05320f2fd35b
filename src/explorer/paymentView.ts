// A payment's page (ISO 20022, docs/payments.md), found by its UETR: the bundles that carry it (payment and
// answer) come from the store; each bank's record is read from its PaymentBank: on a public chain from its
// node, on a private chain only through its permissioned RPC with the visitor's session.
import { erc20Abi, formatUnits, hexToBigInt, slice, type Address, type Hex } from 'viem'
import * as c from '../contracts/generated/index.js'
import { uetrToBytes16 } from '../payments/checkPayment.js'
import { PAYMENT_REASON_CODES, type PaymentTransactionStatus } from '../payments/paymentStatus.js'
import { decodeBundle } from '../protocol/index.js'
import { getIsoPayment, type IsoPaymentRecord } from '../sdk/actions/getIsoPayment.js'
import { chainRef, notFound, resolveBundleVisibility, type ExplorerContext } from './context.js'
import { isPrivateChain, privateChainsOf, privateClient, refusalIn, type PrivateSession } from './privateChains.js'
import { visibleChainIds, type Visitor } from './visibility.js'

type ChainRef = { chainId: number; name: string; private?: true }

/** One bank's record of a payment, as its PaymentBank keeps it under the UETR. */
export type PaymentRecordView = {
  /** `debtor`: the bank that sent it (`sent(uetr)`); `creditor`: the bank that received it (`received(uetr)`). */
  bank: 'debtor' | 'creditor'
  chain: ChainRef
  paymentBank: Address
  /** The debtor (debtor bank) or the creditor (creditor bank). */
  customer: Address
  /** Token units, as a decimal string. */
  amount: string
  /** The amount with the deposit token's decimals and symbol, when the explorer could read them (public chains). */
  formatted?: string
  /** `PDNG` while the debtor bank waits for the answer, `ACSC` accepted, `RJCT` rejected (with `reason`). */
  status: PaymentTransactionStatus
  reason?: string
  reasonText?: string
  /** The creditor bank's block time of its decision (ms). */
  decidedAt?: number
  messageHash: Hex
  counterparty: ChainRef
  bundleHash: Hex
  answerBundleHash?: Hex
}

/** What `GET /api/payments/:uetr` answers. */
export type PaymentView = {
  uetr: string
  /** `ACSC` or `RJCT` once a record the visitor sees has the creditor bank's decision, else `PDNG`. */
  status: PaymentTransactionStatus
  reason?: string
  reasonText?: string
  amount: string
  formatted?: string
  records: PaymentRecordView[]
  /** The bundles that carry it: the payment (debtor bank → creditor bank) and the answer (back). */
  bundles: { role: 'payment' | 'answer'; bundleHash: Hex; source: ChainRef; destination: ChainRef }[]
  /** Records the explorer did not read, and why (a private chain: not signed in, or its RPC refused). */
  notShown: { bank: 'debtor' | 'creditor'; chain: ChainRef; reason: string }[]
}

/** Whether `q` is a UUID (a UETR), in any case. */
export function isUetr(q: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(q)
}

const STATUS: Record<IsoPaymentRecord['status'], PaymentTransactionStatus> = { pending: 'PDNG', accepted: 'ACSC', rejected: 'RJCT' }
/** ERC-7786 payload kinds of PaymentBank's messages: a payment, an answer. */
const PAYMENT_MESSAGE = 1n
const STATUS_MESSAGE = 2n

/**
 * A payment by its UETR: the bundles whose PaymentBank message names it (what the visitor may see of them),
 * and each bank's record where the visitor may read it. 404 when the visitor sees none.
 */
export async function paymentView(context: ExplorerContext, visitor: Visitor, uetr: string): Promise<PaymentView> {
  await context.sync()
  const { manifest } = context
  const visible = visibleChainIds(manifest, visitor)
  const key = uetrToBytes16(uetr)
  const rows = context.store
    .prepare('SELECT bundle_hash, source_chain_id, destination_chain_id, tx_hash, bundle FROM bundles_sent WHERE instr(lower(bundle), ?) > 0 ORDER BY seen_at')
    .all(key.slice(2)) as { bundle_hash: Hex; source_chain_id: number; destination_chain_id: number; tx_hash: Hex; bundle: Hex }[]
  const bundles: PaymentView['bundles'] = []
  // Each bank's PaymentBank, from the message call of a bundle: its `from` on the source, its `to` on the destination.
  const banks = new Map<string, { bank: 'debtor' | 'creditor'; chainId: number; paymentBank: Address }>()
  const addBank = (bank: 'debtor' | 'creditor', chainId: number, paymentBank: Address) => banks.set(`${bank}:${chainId}`, { bank, chainId, paymentBank })
  for (const row of rows) {
    const bundle = decodeBundle(row.bundle)
    const message = bundle.calls.at(-1)
    if (!message || !isPaymentMessageFor(message.data, key)) continue
    const kind = hexToBigInt(slice(message.data, 0, 32))
    if (kind !== PAYMENT_MESSAGE && kind !== STATUS_MESSAGE) continue
    const visibility = await resolveBundleVisibility(context, visitor, { sourceChainId: row.source_chain_id, destinationChainId: row.destination_chain_id, txHash: row.tx_hash })
    if (visibility === 'hidden') continue
    const [sourceBank, destinationBank] = kind === PAYMENT_MESSAGE ? (['debtor', 'creditor'] as const) : (['creditor', 'debtor'] as const)
    bundles.push({ role: kind === PAYMENT_MESSAGE ? 'payment' : 'answer', bundleHash: row.bundle_hash, source: chainRef(manifest, row.source_chain_id, visible), destination: chainRef(manifest, row.destination_chain_id, visible) })
    addBank(sourceBank, row.source_chain_id, message.from)
    addBank(destinationBank, row.destination_chain_id, message.to)
  }
  if (bundles.length === 0) notFound(`payment ${uetr}`, 'No bundle you may see carries a payment with this UETR. A payment between private chains shows only after you sign in, and only what your account may read there.')

  const records: PaymentRecordView[] = []
  const notShown: PaymentView['notShown'] = []
  for (const { bank, chainId, paymentBank } of banks.values()) {
    const chain = chainRef(manifest, chainId, visible)
    const session = visitor.sessions.get(chainId)
    if (isPrivateChain(manifest, chainId) && !session) {
      notShown.push({ bank, chain, reason: 'a private chain: sign in to it to see its record, if your account may read it' })
      continue
    }
    const read = await readRecord(context, chainId, session, paymentBank, uetr, bank)
    if ('refused' in read) {
      notShown.push({ bank, chain, reason: `its permissioned RPC refused your account: ${read.refused}` })
      continue
    }
    if (!read.record) continue
    const r = read.record
    records.push({
      bank,
      chain,
      paymentBank,
      customer: r.customer,
      amount: String(r.amount),
      ...(read.token ? { formatted: `${formatUnits(r.amount, read.token.decimals)} ${read.token.symbol}` } : {}),
      status: STATUS[r.status],
      ...(r.reason ? { reason: r.reason, reasonText: reasonText(r.reason) } : {}),
      ...(r.decidedAt !== undefined ? { decidedAt: r.decidedAt * 1000 } : {}),
      messageHash: r.messageHash,
      counterparty: chainRef(manifest, Number(r.counterpartyChainId), visible),
      bundleHash: r.bundleHash,
      ...(r.answerBundleHash ? { answerBundleHash: r.answerBundleHash } : {}),
    })
  }
  records.sort((a, b) => (a.bank === b.bank ? 0 : a.bank === 'debtor' ? -1 : 1))
  const decided = records.find((r) => r.status !== 'PDNG')
  const first = records.find((r) => r.formatted) ?? records[0]
  return {
    uetr: uetr.toLowerCase(),
    status: decided?.status ?? 'PDNG',
    ...(decided?.reason ? { reason: decided.reason, reasonText: reasonText(decided.reason) } : {}),
    amount: first?.amount ?? '',
    ...(first?.formatted ? { formatted: first.formatted } : {}),
    records,
    bundles,
    notShown,
  }
}

/** Whether an ERC-7786 payload is a PaymentBank message (`abi.encode(uint8 kind, bytes16 uetr, …)`) about `uetr`. */
function isPaymentMessageFor(data: Hex | undefined, uetr: Hex): boolean {
  if (!data || data.length < 2 + 64 * 2) return false
  return slice(data, 32, 48).toLowerCase() === uetr.toLowerCase()
}

const reasonText = (reason: string): string | undefined => (PAYMENT_REASON_CODES as Record<string, string>)[reason]

/**
 * One bank's record under the UETR: on a public chain from its node (and the deposit token's decimals and
 * symbol), on a private chain through its permissioned RPC as the visitor (`refused` when it says no).
 */
async function readRecord(
  context: ExplorerContext,
  chainId: number,
  session: PrivateSession | undefined,
  paymentBank: Address,
  uetr: string,
  bank: 'debtor' | 'creditor',
): Promise<{ record: IsoPaymentRecord | undefined; token?: { decimals: number; symbol: string } } | { refused: string }> {
  if (session) {
    const chain = privateChainsOf(context.manifest).find((p) => p.chainId === chainId)!
    try {
      const found = await getIsoPayment(privateClient(chain, session), { paymentBank, uetr })
      return { record: bank === 'debtor' ? found.sent : found.received }
    } catch (error) {
      const refusal = refusalIn(error)
      if (refusal) return { refused: refusal.shortMessage }
      throw error
    }
  }
  const client = context.publicIndex.chain(chainId).client
  const found = await getIsoPayment(client, { paymentBank, uetr })
  const record = bank === 'debtor' ? found.sent : found.received
  if (!record) return { record }
  const depositToken = (await client.readContract({ address: paymentBank, abi: c.paymentBankAbi, functionName: 'depositToken' })) as Address
  const [decimals, symbol] = await Promise.all([
    client.readContract({ address: depositToken, abi: erc20Abi, functionName: 'decimals' }),
    client.readContract({ address: depositToken, abi: erc20Abi, functionName: 'symbol' }),
  ])
  return { record, token: { decimals, symbol } }
}
