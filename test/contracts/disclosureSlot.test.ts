// The balance slot a disclosure proves is where Junction's tokens keep balances: the slot index agrees
// with solc's storage layout of BridgedToken and TestToken, and, on a real anvil, the computed slot of
// random holders holds exactly what they were minted; proofs of it verify against the block's state root
// and any flipped byte in them is refused at the right step.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import fc from 'fast-check'
import solc from 'solc'
import { bytesToHex, getAddress, hexToBigInt, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../../src/chain/process/index.js'
import * as c from '../../src/contracts/generated/index.js'
import { DisclosureProofInvalidError } from '../../src/errors/disclosure.js'
import { balanceSlot, batchHash, checkBalanceDisclosure, emptyBatchCommitment, JUNCTION_TOKEN_BALANCES_SLOT, type BalanceDisclosure } from '../../src/protocol/index.js'

let anvil: AnvilProcess
let chain: ChainConnection
let token: Address
const key = devAccount(0).privateKey
const RUNS = 25

before(async () => {
  anvil = createAnvil({ chainId: 31337, port: 0, name: 'disclosure-slot' })
  await anvil.start()
  chain = new ChainConnection({ chainId: 31337, name: 'disclosure-slot', rpcUrl: anvil.rpcUrl })
  token = (await chain.deploy(key, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Slot', 'SLT', 6], action: 'deploy token' })).address
})
after(async () => {
  await anvil?.stop()
})

type StorageEntry = { label: string; slot: string; offset: number; type: string }

test("solc's storage layout puts balanceOf of BridgedToken and TestToken at JUNCTION_TOKEN_BALANCES_SLOT", () => {
  const files = ['contracts/common/ERC20.sol', 'contracts/test/TestToken.sol', 'contracts/l2/BridgedToken.sol']
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(files.map((file) => [file, { content: readFileSync(file, 'utf8') }])),
    settings: { evmVersion: 'cancun', outputSelection: { '*': { '*': ['storageLayout'] } } },
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as { errors?: { severity: string; formattedMessage: string }[]; contracts: Record<string, Record<string, { storageLayout: { storage: StorageEntry[]; types: Record<string, { label: string }> } }>> }
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  assert.deepEqual(errors.map((e) => e.formattedMessage), [])
  for (const [file, name] of [['contracts/test/TestToken.sol', 'TestToken'], ['contracts/l2/BridgedToken.sol', 'BridgedToken']] as const) {
    const layout = output.contracts[file]![name]!.storageLayout
    const balances = layout.storage.find((entry) => entry.label === 'balanceOf')
    assert.ok(balances, `${name} has no balanceOf in storage`)
    assert.equal(BigInt(balances.slot), JUNCTION_TOKEN_BALANCES_SLOT, `${name}.balanceOf slot`)
    assert.equal(balances.offset, 0)
    assert.equal(layout.types[balances.type]!.label, 'mapping(address => uint256)')
  }
})

const holderArb = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(bytesToHex(b))).filter((a) => BigInt(a) !== 0n)
const amountArb = fc.bigInt({ min: 1n, max: (1n << 200n) })

test('the computed slot of a random holder holds what it was minted, and its proofs verify against the block', async () => {
  await fc.assert(
    fc.asyncProperty(holderArb, amountArb, async (holder, amount) => {
      const before = (await chain.client.readContract({ address: token, abi: c.testTokenAbi, functionName: 'balanceOf', args: [holder] })) as bigint
      await chain.write(key, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [holder, amount], action: 'mint' })
      const slot = balanceSlot({ holder })
      assert.equal(hexToBigInt((await chain.client.getStorageAt({ address: token, slot }))!), before + amount)
      const disclosure = await disclosureAtHead(holder)
      assert.equal(disclosure.value, before + amount)
      assert.equal((await checkBalanceDisclosure(disclosure, { settledBatchHash: disclosure.batchHash })).value, before + amount)
    }),
    { numRuns: RUNS },
  )
})

test('any flipped bit of any node of either proof is refused at that proof', async () => {
  const holder = getAddress('0x00000000000000000000000000000000000d15c0')
  await chain.write(key, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [holder, 777n], action: 'mint' })
  const disclosure = await disclosureAtHead(holder)
  const which = fc.constantFrom('accountProof' as const, 'storageProof' as const)
  await fc.assert(
    fc.asyncProperty(which, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 7 }), async (proof, nodeSeed, byteSeed, bit) => {
      const nodes = [...disclosure[proof]]
      const node = nodeSeed % nodes.length
      const bytes = Buffer.from(nodes[node]!.slice(2), 'hex')
      bytes[byteSeed % bytes.length]! ^= 1 << bit
      nodes[node] = `0x${bytes.toString('hex')}`
      await assert.rejects(checkBalanceDisclosure({ ...disclosure, [proof]: nodes }, { settledBatchHash: disclosure.batchHash }), (error: unknown) => error instanceof DisclosureProofInvalidError && error.step === proof)
    }),
    { numRuns: 200 },
  )
})

/** A disclosure of `holder`'s balance at the head, under a commitment with the head's state root. */
async function disclosureAtHead(holder: Address): Promise<BalanceDisclosure> {
  const block = await chain.client.getBlock({ blockTag: 'latest' })
  const slot = balanceSlot({ holder })
  const proof = await chain.client.getProof({ address: token, storageKeys: [slot], blockNumber: block.number })
  const commitment = emptyBatchCommitment({ batchNumber: 1n, previousBatchHash: `0x${'11'.repeat(32)}` as Hex, lastBlock: block.number, stateRoot: block.stateRoot, timestamp: block.timestamp })
  return {
    chainId: 31337,
    settlementLayer: { chainId: 1, chainRegistry: getAddress(`0x${'22'.repeat(20)}`), chainSettlement: getAddress(`0x${'33'.repeat(20)}`) },
    commitment,
    batchHash: batchHash(commitment),
    token,
    holder,
    balancesSlot: JUNCTION_TOKEN_BALANCES_SLOT,
    slot,
    value: proof.storageProof[0]!.value,
    accountProof: proof.accountProof,
    storageProof: proof.storageProof[0]!.proof,
  }
}
