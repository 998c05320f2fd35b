// Malformed bytes given to the handlers on one anvil: bundles cut short or with a broken word, bridge
// messages with a dirty address word, a migration message with a broken offset. Each must be refused with
// a named error, never the ABI decoder's bare revert (which `npm run fuzz` counts as a finding): the
// contracts read what they check before the proof from fixed places and decode only proven bytes.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { concat, encodeAbiParameters, getAddress, keccak256, size, slice, toFunctionSelector, toHex, zeroAddress, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../../src/chain/process/index.js'
import * as c from '../../src/contracts/generated/index.js'
import { encodeBundle, encodeTransferMessage, encodeWithdrawalMessage, type InteropBundle, type InteropProof } from '../../src/protocol/index.js'
import { rejectsWith } from '../../src/testing/rejectsWith.js'

const CHAIN_ID = 31337
const deployer = devAccount(0)
const unbundler = devAccount(1)
// Stand-ins for contracts the checks refuse before reaching: nothing here gets that far.
const stand = (n: number): Address => getAddress(`0x${n.toString(16).padStart(40, '0')}`)

let anvil: AnvilProcess
let chain: ChainConnection
let handler: Address
let l1Handler: Address
let router: Address
let registry: Address

const emptyProof: InteropProof = {
  slChainId: 0n, slBlockNumber: 0n, messageSender: zeroAddress, batchNumber: 0n, messageIndex: 0n, messageCount: 0n,
  messageSiblings: [], batchCount: 0n, batchSiblings: [], chainIndex: 0n, chainCount: 0n, chainSiblings: [], hops: [],
}
const bundle: InteropBundle = {
  version: 1n,
  sourceChainId: 500n,
  destinationChainId: BigInt(CHAIN_ID),
  salt: keccak256(toHex('salt')),
  calls: [{ to: stand(0xa1), from: stand(0xa2), value: 5n, data: toHex('a call') }],
  executionAddress: zeroAddress,
  unbundler: unbundler.address,
}
const encoded = encodeBundle(bundle)
/** `bytes` with 32-byte word `index` replaced by `word`. */
const withWord = (bytes: Hex, index: number, word: bigint): Hex =>
  concat([slice(bytes, 0, index * 32), toHex(word, { size: 32 }), ...(size(bytes) > index * 32 + 32 ? [slice(bytes, index * 32 + 32)] : [])])
const wordOf = (bytes: Hex, index: number): bigint => BigInt(slice(bytes, index * 32, index * 32 + 32))

before(async () => {
  anvil = createAnvil({ chainId: CHAIN_ID, port: 0, name: 'malformed-inputs' })
  await anvil.start()
  chain = new ChainConnection({ chainId: CHAIN_ID, name: 'malformed-inputs', rpcUrl: anvil.rpcUrl })
  const key = deployer.privateKey
  handler = (await chain.deploy(key, { abi: c.interopHandlerAbi, bytecode: c.interopHandlerBytecode, args: [stand(0xc0), deployer.address, stand(0xc1), 0n, stand(0xc2)], action: 'deploy InteropHandler' })).address
  l1Handler = (await chain.deploy(key, { abi: c.l1InteropHandlerAbi, bytecode: c.l1InteropHandlerBytecode, args: [stand(0xc0), stand(0xc3), stand(0xc4), stand(0xc5)], action: 'deploy L1InteropHandler' })).address
  router = (await chain.deploy(key, { abi: c.l1AssetRouterAbi, bytecode: c.l1AssetRouterBytecode, args: [stand(0xc3), stand(0xc4), stand(0xc6), stand(0xc7), stand(0xc8), l1Handler], action: 'deploy L1AssetRouter' })).address
  registry = (await chain.deploy(key, { abi: c.chainRegistryAbi, bytecode: c.chainRegistryBytecode, args: [stand(0xc4), zeroAddress], action: 'deploy ChainRegistry' })).address
})

after(async () => {
  await anvil?.stop()
})

const send = (address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[], from = deployer) =>
  chain.write(from.privateKey, { address, abi: abi as never, functionName, args })

test('a bundle shorter than its head, or whose head is not canonical, is refused as MalformedBundle on every entry point', async () => {
  const short = slice(encoded, 0, 100)
  for (const [to, abi] of [[handler, c.interopHandlerAbi], [l1Handler, c.l1InteropHandlerAbi]] as const) {
    assert.deepEqual((await rejectsWith(send(to, abi, 'executeBundle', [short, emptyProof]), 'MalformedBundle')).errorArgs, [100n])
    await rejectsWith(send(to, abi, 'verifyBundle', [short, emptyProof]), 'MalformedBundle')
    await rejectsWith(send(to, abi, 'executeBundles', [[encoded, short], [emptyProof, emptyProof]]), 'SenderNotInteropCenter')
    await rejectsWith(send(to, abi, 'executeBundles', [[short], [emptyProof]]), 'MalformedBundle')
  }
  await rejectsWith(send(handler, c.interopHandlerAbi, 'executeBundle', [withWord(encoded, 0, 64n), emptyProof]), 'MalformedBundle')
  await rejectsWith(send(handler, c.interopHandlerAbi, 'executeBundle', [withWord(encoded, 6, (1n << 200n) | 7n), emptyProof]), 'MalformedBundle')
})

test('a bundle cut after its head, or with a broken offset or a dirty address inside, meets the proof check, not a bare revert', async () => {
  const broken: [string, Hex][] = [
    ['cut after the head', slice(encoded, 0, 300)],
    ['cut in its last call', slice(encoded, 0, size(encoded) - 40)],
    ["the calls' offset far out", withWord(encoded, 5, 1n << 64n)],
    ['the call count huge', withWord(encoded, 8, 1n << 62n)],
    ["a call's `to` dirty", withWord(encoded, 10, wordOf(encoded, 10) | (1n << 170n))],
    ['the unbundler dirty', withWord(encoded, 7, wordOf(encoded, 7) | (1n << 255n))],
  ]
  for (const [what, bytes] of broken) {
    for (const [to, abi] of [[handler, c.interopHandlerAbi], [l1Handler, c.l1InteropHandlerAbi]] as const) {
      const error = await rejectsWith(send(to, abi, 'executeBundle', [bytes, emptyProof]), 'SenderNotInteropCenter').catch((e: unknown) => {
        throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`)
      })
      assert.deepEqual(error.errorArgs, [zeroAddress], what)
    }
  }
})

test('an unbundling of bytes that were never verified is refused as BundleNotVerified, whatever the bytes', async () => {
  for (const bytes of [encoded, slice(encoded, 0, 100), withWord(encoded, 5, 1n << 64n)]) {
    await rejectsWith(send(handler, c.interopHandlerAbi, 'unbundleBundle', [bytes, [1]], unbundler), 'BundleNotVerified')
    await rejectsWith(send(handler, c.interopHandlerAbi, 'unbundleBundle', [bytes, [1, 2]], deployer), 'BundleNotVerified')
  }
})

test('a withdrawal or transfer message with a dirty address word is refused by name (NotAWithdrawal, NotATransfer)', async () => {
  const withdrawal = encodeWithdrawalMessage({ assetId: keccak256(toHex('asset')), l2Sender: stand(0xb1), l1Receiver: stand(0xb2), amount: 10n })
  for (const word of [2, 3]) {
    await rejectsWith(send(router, c.l1AssetRouterAbi, 'finalizeWithdrawal', [271n, withWord(withdrawal, word, wordOf(withdrawal, word) | (1n << 160n)), emptyProof]), 'NotAWithdrawal')
  }
  const transfer = encodeTransferMessage({ destinationChainId: 272, assetId: keccak256(toHex('asset')), sender: stand(0xb1), receiver: stand(0xb2), amount: 10n })
  for (const word of [3, 4]) {
    await rejectsWith(send(router, c.l1AssetRouterAbi, 'finalizeTransfer', [271n, withWord(transfer, word, wordOf(transfer, word) | (1n << 250n)), emptyProof]), 'NotATransfer')
  }
  // The clean ones decode and go on to the proof.
  await rejectsWith(send(router, c.l1AssetRouterAbi, 'finalizeWithdrawal', [271n, withdrawal, emptyProof]), 'SenderNotAssetRouter')
})

test('a migration message with a broken tag word, balances offset or balance count is refused as NotAMigrationMessage', async () => {
  const tag = toFunctionSelector('migrateChain(uint256,uint256,(uint256,bytes32,uint256,uint256,bytes32),(uint256,bytes32[33]),(bytes32,uint256)[])')
  const message = encodeAbiParameters(
    [
      { type: 'bytes4' },
      { type: 'uint256' },
      { type: 'uint256' },
      { type: 'tuple', components: [{ type: 'uint256' }, { type: 'bytes32' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'bytes32' }] },
      { type: 'tuple', components: [{ type: 'uint256' }, { type: 'bytes32[33]' }] },
      { type: 'tuple[]', components: [{ type: 'bytes32' }, { type: 'uint256' }] },
    ],
    [tag, 272n, 1n, [3n, keccak256(toHex('batch')), 40n, 2n, keccak256(toHex('rolling'))], [3n, Array.from({ length: 33 }, () => keccak256(toHex('f'))) as never], [[keccak256(toHex('eth')), 9n]]],
  )
  const finalize = (bytes: Hex) => send(registry, c.chainRegistryAbi, 'finalizeChainMigration', [bytes, emptyProof])
  // The canonical message decodes: no chain is on its way here.
  assert.deepEqual((await rejectsWith(finalize(message), 'NotMigrating')).errorArgs, [272n])
  for (const bytes of [withWord(message, 0, wordOf(message, 0) | 1n), withWord(message, 42, wordOf(message, 42) + 32n), withWord(message, 42, 1n << 70n), withWord(message, 43, 2n), withWord(message, 43, 0n)]) {
    await rejectsWith(finalize(bytes), 'NotAMigrationMessage')
  }
})
