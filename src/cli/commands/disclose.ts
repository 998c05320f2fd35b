// `junction private disclose` and `junction private verify-disclosure`: a holder's proof of one token
// balance at a settled batch, and its check against the settlement layer (docs/prividium.md, "Selective
// disclosure").
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createPublicClient, getAddress, http, isAddress, type Address, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DisclosureProofInvalidError } from '../../errors/disclosure.js'
import type { ZkChainInfo } from '../../network/types.js'
import { signInWithEthereum } from '../../prividium/PrividiumApiClient.js'
import { asBalanceDisclosure, balanceDisclosureToJson } from '../../protocol/disclosure.js'
import { getDisclosureProof } from '../../sdk/actions/getDisclosureProof.js'
import { verifyDisclosureProof } from '../../sdk/actions/verifyDisclosureProof.js'
import { disclosureSettlementLayer } from '../../sdk/disclosureSettlementLayer.js'
import { findChain } from '../../sdk/loadManifest.js'
import { parseOptions } from '../parseOptions.js'
import { UsageError } from '../runCommand.js'
import { manifestFrom, networkOptions } from './common.js'

export const discloseUsage = `  disclose --chain C --token ADDRESS [--holder ADDRESS] [--out FILE] [--private-key KEY] [--api URL]
           [--batch N] [--balances-slot N] [--network FILE | --data-dir D]
                       a proof of the holder's balance of the token at a committed batch of the chain
                       (the newest executed one whose state the node still keeps, else the newest
                       committed), as a JSON file anyone can verify against the settlement layer.
                       --holder defaults to the key's address (--private-key: default the first dev
                       user); on a private chain (--api URL: its permissioned RPC) the key signs in and
                       may prove only its own wallets' balances
  verify-disclosure FILE [--rpc URL --registry ADDRESS] [--balances-slot N] [--network FILE | --data-dir D]
                       checks a disclosure against the settlement layer the batch settled on (from the
                       manifest, or --rpc with its ChainRegistry --registry); exit 0 if valid, 1 if not,
                       naming the failed step`

/** `junction private disclose ...`. */
export async function disclose(args: string[]): Promise<number> {
  const { values } = parseOptions('private disclose', args, {
    ...networkOptions,
    chain: { type: 'string' },
    token: { type: 'string' },
    holder: { type: 'string' },
    out: { type: 'string' },
    'private-key': { type: 'string' },
    api: { type: 'string' },
    batch: { type: 'string' },
    'balances-slot': { type: 'string' },
  })
  if (!values.chain || !values.token) throw new UsageError('private disclose: give --chain and --token', { details: 'Run `junction private --help`.' })
  const { manifest } = manifestFrom(values)
  const chain = findChain(manifest, values.chain)
  const account = privateKeyToAccount((values['private-key'] as Hex | undefined) ?? manifest.accounts.users[0]!.privateKey)
  const holder = values.holder === undefined ? account.address : addressOption('holder', values.holder)
  const apiBaseUrl = values.api ?? (chain as ZkChainInfo & { apiBaseUrl?: string }).apiBaseUrl
  let client: PublicClient
  if (apiBaseUrl === undefined) client = createPublicClient({ transport: http(chain.rpcUrl) })
  else {
    const { token: session } = await signInWithEthereum({ apiBaseUrl, account })
    client = createPublicClient({ transport: http(new URL('/rpc', apiBaseUrl).toString(), { fetchOptions: { headers: { authorization: `Bearer ${session}` } } }) })
  }
  const { disclosure, executed } = await getDisclosureProof(client, {
    token: addressOption('token', values.token),
    holder,
    manifest,
    batchNumber: bigintOption('batch', values.batch),
    balancesSlot: bigintOption('balances-slot', values['balances-slot']),
  })
  const text = `${JSON.stringify(balanceDisclosureToJson(disclosure), null, 2)}\n`
  if (values.out) writeFileSync(values.out, text)
  else process.stdout.write(text)
  const where = `batch ${disclosure.commitment.batchNumber} of ${chain.name} (block ${disclosure.commitment.lastBlock})`
  const status = executed ? `executed on chain ${disclosure.settlementLayer.chainId}` : `committed on chain ${disclosure.settlementLayer.chainId}, NOT executed yet: verification fails at finality until it is`
  console.error(`disclosed: ${holder} holds ${disclosure.value} of ${disclosure.token} at ${where}; ${status}${values.out ? ` (${values.out})` : ''}`)
  return 0
}

/** `junction private verify-disclosure FILE ...`. */
export async function verifyDisclosure(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions('private verify-disclosure', args, { ...networkOptions, rpc: { type: 'string' }, registry: { type: 'string' }, 'balances-slot': { type: 'string' } }, true)
  const file = positionals[0]
  if (!file) throw new UsageError('private verify-disclosure: name the disclosure file', { details: 'Run `junction private --help`.' })
  if (!existsSync(file)) throw new UsageError(`private verify-disclosure: no file ${file}`)
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
    console.log(`INVALID at format: ${file} is not JSON (${error.message})`)
    return 1
  }
  try {
    const disclosure = asBalanceDisclosure(json)
    let layer: { client: PublicClient; chainRegistry: Address }
    if (values.rpc !== undefined) {
      if (values.registry === undefined) throw new UsageError('private verify-disclosure: with --rpc, give --registry (the ChainRegistry you trust on that settlement layer)')
      layer = { client: createPublicClient({ transport: http(values.rpc) }), chainRegistry: addressOption('registry', values.registry) }
    } else layer = disclosureSettlementLayer(manifestFrom(values).manifest, disclosure.settlementLayer.chainId, disclosure.chainId)
    const verified = await verifyDisclosureProof(layer.client, { disclosure, chainRegistry: layer.chainRegistry, balancesSlot: bigintOption('balances-slot', values['balances-slot']) })
    console.log(`valid: ${verified.holder} held ${verified.value} of ${verified.token} on chain ${verified.chainId} at batch ${verified.batchNumber} (block ${verified.blockNumber}, state root ${verified.stateRoot}), executed on chain ${verified.settlementLayerChainId}`)
    return 0
  } catch (error) {
    if (!(error instanceof DisclosureProofInvalidError)) throw error
    console.log(`INVALID at ${error.step}: ${error.reason}\n${error.details ?? ''}`)
    return 1
  }
}

function addressOption(name: string, value: string): Address {
  if (!isAddress(value, { strict: false })) throw new UsageError(`private: --${name} must be an address, got "${value}"`)
  return getAddress(value)
}

function bigintOption(name: string, value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined
  if (!/^(0|[1-9][0-9]*|0x[0-9a-fA-F]+)$/.test(value)) throw new UsageError(`private: --${name} must be a whole number, got "${value}"`)
  return BigInt(value)
}
