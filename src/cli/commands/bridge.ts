import { isAddress, isHex, type Address, type Hex } from 'viem'
import { JunctionError } from '../../errors/JunctionError.js'
import type { NetworkManifest } from '../../network/types.js'
import { claimFailedDeposit } from '../../sdk/actions/claimFailedDeposit.js'
import { signFailedDepositClaim } from '../../sdk/actions/signFailedDepositClaim.js'
import { deposit } from '../../sdk/actions/deposit.js'
import { depositETH } from '../../sdk/actions/depositETH.js'
import { withdrawETH } from '../../sdk/actions/withdrawETH.js'
import { finalizeWithdrawal } from '../../sdk/actions/finalizeWithdrawal.js'
import { getBalances } from '../../sdk/actions/getBalances.js'
import { withdraw } from '../../sdk/actions/withdraw.js'
import { transfer } from '../../sdk/actions/transfer.js'
import { findChain, findDestination } from '../../sdk/loadManifest.js'
import type { Command } from '../runCommand.js'
import { integerOption, parseOptions } from '../parseOptions.js'
import { printTable } from '../printTable.js'
import { indexFor, manifestFrom, networkOptions, networkOptionsUsage } from './common.js'
import { walletFor } from '../../chain/walletFor.js'

const signerOptions = { account: { type: 'string' }, 'private-key': { type: 'string' } } as const
const signerUsage = `  --account N       dev account (index among the network's users) [default: 0]
  --private-key K   or sign with this key`

function signer(command: string, manifest: NetworkManifest, values: { account?: string | undefined; 'private-key'?: string | undefined }): Hex {
  const key = (values['private-key'] ?? manifest.accounts.users[integerOption(command, 'account', values.account, 0)]?.privateKey) as Hex | undefined
  if (!key || !isHex(key) || key.length !== 66) throw new JunctionError(`${command}: no such account`, { details: `Use --account 0..${manifest.accounts.users.length - 1} or --private-key 0x<64 hex>.` })
  return key
}

function addressOption(command: string, name: string, value: string | undefined): Address {
  if (!value || !isAddress(value)) throw new JunctionError(`${command}: --${name} must be an address, got "${value ?? ''}"`)
  return value
}

function amountOption(command: string, value: string | undefined): bigint {
  if (!value || !/^\d+$/.test(value) || BigInt(value) === 0n) throw new JunctionError(`${command}: --amount must be a positive whole number of the token's smallest unit (wei for ETH), got "${value ?? ''}"`)
  return BigInt(value)
}

function assetOption(command: string, value: string | undefined): Hex {
  if (!value || !isHex(value) || value.length !== 66) throw new JunctionError(`${command}: --asset must be a bytes32 asset id, got "${value ?? ''}"`)
  return value
}

/** `--eth` and `--token` / `--asset` are exclusive, and one of them is needed. */
function ethOrOther(command: string, eth: boolean | undefined, other: string | undefined, otherName: string): boolean {
  if (eth && other) throw new JunctionError(`${command}: give --eth or --${otherName}, not both`)
  if (!eth && !other) throw new JunctionError(`${command}: give --${otherName} (or --eth for ETH)`)
  return eth === true
}

export const depositCommand: Command = {
  summary: 'deposit an ERC-20 token or ETH from L1 to a ZK chain through the shared bridge',
  usage: `Usage: junction deposit --to-chain CHAIN (--token ADDR | --eth) --amount N [options]

Options:
  --to-chain CHAIN  destination ZK chain (name or id)
  --token ADDR      ERC-20 token on L1
  --eth             deposit ETH (released on the chain from its base-token holder)
  --amount N        amount in the token's smallest unit (wei for ETH)
  --receiver ADDR   receiver on the chain                   [default: the sender]
${signerUsage}
${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('deposit', args, { ...networkOptions, ...signerOptions, 'to-chain': { type: 'string' }, token: { type: 'string' }, eth: { type: 'boolean' }, amount: { type: 'string' }, receiver: { type: 'string' } })
    const isEth = ethOrOther('deposit', values.eth, values.token, 'token')
    const { manifest } = manifestFrom(values)
    const chain = findChain(manifest, values['to-chain'] ?? '')
    const key = signer('deposit', manifest, values)
    const common = {
      manifest,
      chainId: chain.chainId,
      amount: amountOption('deposit', values.amount),
      ...(values.receiver ? { to: addressOption('deposit', 'receiver', values.receiver) } : {}),
    }
    const result = isEth
      ? await depositETH(walletFor(manifest.l1, key), common)
      : await deposit(walletFor(manifest.l1, key), { ...common, token: addressOption('deposit', 'token', values.token) })
    console.log(`deposit queued: priority request ${result.requestIndex} for ${chain.name}, asset ${result.assetId}, transaction ${result.transactionHash}`)
  },
}

export const withdrawCommand: Command = {
  summary: 'start a withdrawal of a bridged token or ETH from a ZK chain to L1',
  usage: `Usage: junction withdraw --from CHAIN (--asset ASSET_ID | --eth) --amount N [options]

Options:
  --from CHAIN      ZK chain (name or id)
  --asset ID        asset id (bytes32, printed by deposit and balances)
  --eth             withdraw native ETH (paid into the chain's base-token holder)
  --amount N        amount in the token's smallest unit (wei for ETH)
  --receiver ADDR   receiver on L1                          [default: the sender]
${signerUsage}
${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('withdraw', args, { ...networkOptions, ...signerOptions, from: { type: 'string' }, asset: { type: 'string' }, eth: { type: 'boolean' }, amount: { type: 'string' }, receiver: { type: 'string' } })
    const isEth = ethOrOther('withdraw', values.eth, values.asset, 'asset')
    const { manifest } = manifestFrom(values)
    const chain = findChain(manifest, values.from ?? '')
    const key = signer('withdraw', manifest, values)
    const common = {
      manifest,
      amount: amountOption('withdraw', values.amount),
      ...(values.receiver ? { to: addressOption('withdraw', 'receiver', values.receiver) } : {}),
    }
    const result = isEth ? await withdrawETH(walletFor(chain, key), common) : await withdraw(walletFor(chain, key), { ...common, assetId: assetOption('withdraw', values.asset) })
    console.log(`withdrawal started on ${chain.name}: transaction ${result.transactionHash}`)
    console.log(`finalize it on L1 once its batch is executed: junction finalize-withdrawal --from ${chain.name} --tx ${result.transactionHash}`)
  },
}

export const finalizeWithdrawalCommand: Command = {
  summary: 'finalize a withdrawal on L1 (once its batch is executed there)',
  usage: `Usage: junction finalize-withdrawal --from CHAIN --tx HASH [options]

Options:
  --from CHAIN      ZK chain the withdrawal started on
  --tx HASH         the withdrawal's transaction on that chain
${signerUsage}
${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('finalize-withdrawal', args, { ...networkOptions, ...signerOptions, from: { type: 'string' }, tx: { type: 'string' } })
    const { manifest, dataDir } = manifestFrom(values)
    const chain = findChain(manifest, values.from ?? '')
    if (!values.tx || !isHex(values.tx) || values.tx.length !== 66) throw new JunctionError(`finalize-withdrawal: --tx must be a transaction hash, got "${values.tx ?? ''}"`)
    const key = signer('finalize-withdrawal', manifest, values)
    const result = await finalizeWithdrawal(walletFor(manifest.l1, key), indexFor(manifest, dataDir), { chainId: chain.chainId, transactionHash: values.tx })
    console.log(`withdrawal finalized on L1: transaction ${result.transactionHash}`)
  },
}

export const balancesCommand: Command = {
  summary: "a token's or ETH's balances: the L1 vault, each chain's ledger (L1's or its Gateway's), each Gateway's L1 account, every chain's supply",
  usage: `Usage: junction balances (--token ADDR | --eth) [--owner ADDR] [options]

Options:
  --token ADDR      ERC-20 token on L1
  --eth             ETH: the vault's ETH, the ledgers' ETH, the ETH bridged into each chain and not
                    out again, native balances (wei)
  --owner ADDR      also show this account's balances
${networkOptionsUsage}

A chain's "ledger" is kept where it settles: its own account in L1's ledger, or its balance in its
Gateway's asset tracker; "own L1 account" is what its messages settled on L1 may still take out.`,
  async run(args) {
    const { values } = parseOptions('balances', args, { ...networkOptions, token: { type: 'string' }, eth: { type: 'boolean' }, owner: { type: 'string' } })
    const isEth = ethOrOther('balances', values.eth, values.token, 'token')
    const { manifest, dataDir } = manifestFrom(values)
    const owner = values.owner ? addressOption('balances', 'owner', values.owner) : undefined
    const asset = isEth ? { eth: true as const } : { token: addressOption('balances', 'token', values.token) }
    const view = await getBalances(indexFor(manifest, dataDir), { ...asset, ...(owner ? { account: owner } : {}) })
    console.log(`${isEth ? 'ETH, ' : ''}asset ${view.assetId}: L1 vault holds ${view.vault}${view.l1Account === undefined ? '' : `, owner on L1 ${view.l1Account}`}`)
    const nameOf = (chainId: number) => (chainId === manifest.l1.chainId ? manifest.l1.name : manifest.chains.find((chain) => chain.chainId === chainId)?.name ?? String(chainId))
    printTable(
      ['chain', 'chain id', 'settles on', 'ledger', 'own L1 account', isEth ? 'bridged in' : 'bridged supply', ...(owner ? ['owner'] : []), ...(isEth ? [] : ['token'])],
      view.chains.map((chain) => [
        chain.name,
        String(chain.chainId),
        nameOf(chain.settlesOn),
        String(chain.ledger),
        String(chain.l1Ledger),
        String(chain.totalSupply),
        ...(owner ? [String(chain.account ?? 0n)] : []),
        ...(isEth ? [] : [chain.token ?? '(not deployed yet)']),
      ]),
    )
    for (const gateway of view.settlementLayers) console.log(`${gateway.name}: its account in L1's ledger holds ${gateway.l1Ledger}; its chains hold ${gateway.chains} in its asset tracker`)
  },
}

export const claimFailedDepositCommand: Command = {
  summary: 'claim back on L1 a deposit whose call failed on the chain (once its batch is executed there)',
  usage: `Usage: junction claim-failed-deposit --chain CHAIN --request N [--to ADDR [--signature HEX | --sign]] [options]

Options:
  --chain CHAIN     ZK chain the deposit was for (name or id)
  --request N       the deposit's priority request index (printed by deposit)
  --to ADDR         pay it to this L1 address instead of the depositor (e.g. a depositor contract
                    that refuses ETH): the signing account must be the depositor, or give
                    --signature
  --signature HEX   the depositor's signature of the claim paid to --to (from --sign)
  --sign            with --to: sign the claim as the depositor and print the signature, send
                    nothing (anyone may then claim with --signature)
${signerUsage}
${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('claim-failed-deposit', args, { ...networkOptions, ...signerOptions, chain: { type: 'string' }, request: { type: 'string' }, to: { type: 'string' }, signature: { type: 'string' }, sign: { type: 'boolean' } })
    const { manifest, dataDir } = manifestFrom(values)
    const chain = findChain(manifest, values.chain ?? '')
    const requestIndex = integerOption('claim-failed-deposit', 'request', values.request, -1)
    if (requestIndex < 0) throw new JunctionError('claim-failed-deposit: give --request N, the priority request index printed by deposit')
    const to = values.to === undefined ? undefined : addressOption('claim-failed-deposit', 'to', values.to)
    if (values.signature !== undefined && !isHex(values.signature)) throw new JunctionError(`claim-failed-deposit: --signature must be hex, got "${values.signature}"`)
    if ((values.signature !== undefined || values.sign) && !to) throw new JunctionError('claim-failed-deposit: --signature and --sign go with --to', { details: 'A claim paid to the depositor needs no signature.' })
    const key = signer('claim-failed-deposit', manifest, values)
    const index = indexFor(manifest, dataDir)
    if (values.sign) {
      const signed = await signFailedDepositClaim(walletFor(manifest.l1, key), index, { chainId: chain.chainId, requestIndex: BigInt(requestIndex), to: to! })
      console.log(`signature of ${signed.depositor} paying failed deposit ${requestIndex} to ${chain.name} to ${to}: ${signed.signature}`)
      console.log(`anyone may claim it: junction claim-failed-deposit --chain ${chain.name} --request ${requestIndex} --to ${to} --signature ${signed.signature}`)
      return
    }
    const result = await claimFailedDeposit(walletFor(manifest.l1, key), index, {
      chainId: chain.chainId,
      requestIndex: BigInt(requestIndex),
      ...(to ? { to } : {}),
      ...(values.signature !== undefined ? { signature: values.signature as Hex } : {}),
    })
    console.log(`failed deposit ${requestIndex} to ${chain.name} claimed back: ${result.amount} of asset ${result.assetId} to ${result.to} on L1 (depositor ${result.depositor}), transaction ${result.transactionHash}`)
  },
}

export const transferCommand: Command = {
  summary: 'move a bridged token from one ZK chain to another (burn there, mint here, one token address everywhere)',
  usage: `Usage: junction transfer --from CHAIN --to CHAIN --asset ASSET_ID --amount N [options]

Options:
  --from CHAIN      source ZK chain (name or id)
  --to CHAIN        destination ZK chain (name or id)
  --asset ID        asset id (bytes32, printed by deposit and balances)
  --amount N        amount in the token's smallest unit
  --receiver ADDR   receiver on the destination             [default: the sender]
${signerUsage}
${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('transfer', args, { ...networkOptions, ...signerOptions, from: { type: 'string' }, to: { type: 'string' }, asset: { type: 'string' }, amount: { type: 'string' }, receiver: { type: 'string' } })
    const { manifest } = manifestFrom(values)
    const from = findChain(manifest, values.from ?? '')
    // L1 is named so that the transfer refuses it with what to do instead (withdraw).
    const to = findDestination(manifest, values.to ?? '')
    const key = signer('transfer', manifest, values)
    const result = await transfer(walletFor(from, key), {
      manifest,
      assetId: assetOption('transfer', values.asset),
      amount: amountOption('transfer', values.amount),
      destinationChainId: to.chainId,
      ...(values.receiver ? { to: addressOption('transfer', 'receiver', values.receiver) } : {}),
    })
    console.log(`transfer sent ${from.name} → ${to.name}: bundle ${result.bundleHash}`)
    console.log(`follow it with: junction message ${result.bundleHash}`)
  },
}
