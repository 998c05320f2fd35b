import { formatEther, formatGwei, isAddress, isHex, stringToHex, type Address, type Hex } from 'viem'
import { GasPriceUnknownError, RecipientGasUnknownError } from '../../errors/fees.js'
import { estimateInteropFee, type EstimateInteropFeeReturnType } from '../../sdk/actions/estimateInteropFee.js'
import { JunctionError } from '../../errors/JunctionError.js'
import { findChain, findDestination } from '../../sdk/loadManifest.js'
import { sendMessage } from '../../sdk/actions/sendMessage.js'
import { waitForMessage } from '../../sdk/actions/waitForMessage.js'
import type { Command } from '../runCommand.js'
import { integerOption, parseOptions } from '../parseOptions.js'
import { indexFor, manifestFrom, networkOptions, networkOptionsUsage } from './common.js'
import { printTimeline } from './message.js'
import { walletFor } from '../../chain/walletFor.js'

export const sendCommand: Command = {
  summary: 'send an ERC-7786 message from one ZK chain to another',
  usage: `Usage: junction send --from CHAIN --to CHAIN (--payload HEX | --text TEXT) [options]

Options:
  --from CHAIN      source chain (name or id)
  --to CHAIN        destination chain (name or id), or l1: on L1 the payload is the calldata of a
                    call to --recipient made from your alias account there
  --recipient ADDR  recipient contract on the destination      [default: the network's example recipient]
  --payload HEX     bytes to deliver
  --text TEXT       or a UTF-8 text to deliver
  --account N       dev account (index among the network's users) [default: 0]
  --private-key K   or sign with this key
  --pay-fee         pay the quoted fee with the message (a relayer that requires fees delivers it
                    and claims the fee on the source; docs/fees.md) [default: the quote is printed only]
  --wait            wait until executed and print the timeline
${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('send', args, {
      ...networkOptions,
      from: { type: 'string' },
      to: { type: 'string' },
      recipient: { type: 'string' },
      payload: { type: 'string' },
      text: { type: 'string' },
      account: { type: 'string' },
      'private-key': { type: 'string' },
      wait: { type: 'boolean' },
      'pay-fee': { type: 'boolean' },
    })
    const { manifest, dataDir } = manifestFrom(values)
    if (!values.from || !values.to) throw new JunctionError('send: --from and --to are required', { details: 'Example: junction send --from alpha --to beta --text hello --wait' })
    const from = findChain(manifest, values.from)
    const to = findDestination(manifest, values.to)
    if (to.chainId === manifest.l1.chainId && values.recipient === undefined) {
      throw new JunctionError('send: --to l1 needs --recipient', { details: 'On L1 the payload is the calldata of a call to --recipient, made from your alias account there (see `junction demo lending`).' })
    }
    const recipient = (values.recipient ?? manifest.l2Contracts.exampleRecipient) as Address
    if (!isAddress(recipient)) throw new JunctionError(`send: --recipient "${values.recipient}" is not an address`, { details: 'Give a 0x-prefixed 20-byte address of a contract on the destination.' })
    let payload: Hex
    if (values.payload !== undefined) {
      if (!isHex(values.payload)) throw new JunctionError(`send: --payload "${values.payload}" is not hex`, { details: 'Give 0x-prefixed hex bytes, or use --text.' })
      payload = values.payload
    } else if (values.text !== undefined) payload = stringToHex(values.text)
    else throw new JunctionError('send: give --payload HEX or --text TEXT')
    const key = (values['private-key'] ?? manifest.accounts.users[integerOption('send', 'account', values.account, 0)]?.privateKey) as Hex | undefined
    if (!key || !isHex(key) || key.length !== 66) throw new JunctionError('send: no such account', { details: `Use --account 0..${manifest.accounts.users.length - 1} or --private-key 0x<64 hex>.` })
    const wallet = walletFor(from, key)
    const fee = to.chainId === manifest.l1.chainId ? undefined : await printQuote(indexFor(manifest, dataDir), from.chainId, to, recipient, payload, wallet.account.address)
    if (values['pay-fee'] && !fee) throw new JunctionError('send: --pay-fee but no fee could be quoted', { details: 'See the line above; send without --pay-fee and the message can still be executed by anyone.' })
    const started = Date.now()
    const sent = await sendMessage(wallet, {
      recipient: { chainId: to.chainId, address: recipient },
      payload,
      interopCenter: manifest.l2Contracts.interopCenter,
      manifest,
      ...(values['pay-fee'] && fee ? { fee } : {}),
    })
    console.log(`sent ${sent.bundleHash}${values['pay-fee'] && fee ? ` paying a fee of ${formatEther(fee.fee)} ETH` : ''}`)
    console.log(`  ${from.name} → ${to.name}, recipient ${recipient}, transaction ${sent.transactionHash}`)
    if (!values.wait) {
      console.log(`follow it with: junction message ${sent.bundleHash}`)
      return
    }
    const status = await waitForMessage(indexFor(manifest, dataDir), { bundleHash: sent.bundleHash, timeoutMs: 60_000 })
    printTimeline(status, started)
  },
}

/** Prints the fee quote of the message (docs/fees.md) and returns it; undefined, with the reason printed, when none can be made. */
async function printQuote(
  index: ReturnType<typeof indexFor>,
  sourceChainId: number,
  to: { chainId: number; name: string },
  recipient: Address,
  payload: Hex,
  sender: Address,
): Promise<EstimateInteropFeeReturnType | undefined> {
  try {
    const quote = await estimateInteropFee(index, { sourceChainId, destinationChainId: to.chainId, calls: [{ to: recipient, data: payload }], sender })
    console.log(
      `fee quote: ${formatEther(quote.fee)} ETH for ${quote.gasLimit} gas on ${to.name} at ${formatGwei(quote.executionWeiPerGas)} gwei, settlement at ${formatGwei(quote.settlementWeiPerGas)} gwei, a claim on the source and +10% relayer reward (prices that came with the root of settlement-layer block ${quote.priceSlBlock})`,
    )
    return quote
  } catch (error) {
    if (!(error instanceof GasPriceUnknownError || error instanceof RecipientGasUnknownError)) throw error
    console.log(`fee quote: none (${error.shortMessage})`)
    return undefined
  }
}
