// TypeScript and Solidity must agree: the same hashes, roots, encodings, and the same proofs
// accepted, on random inputs. The Solidity side runs in ProtocolHarness on a real anvil.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { bytesToHex, getAddress, type Address, type Hex } from 'viem'
import { ChainConnection } from '../chain/ChainConnection.js'
import { devAccount } from '../chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../chain/process/index.js'
import * as c from '../contracts/generated/index.js'
import {
  batchHash,
  batchLeaf,
  bundleHash,
  chainLeaf,
  encodeBundle,
  formatInteroperableAddress,
  importedRootsHash,
  IncrementalMerkleTree,
  MerkleTree,
  messageLeaf,
  parseInteroperableAddress,
  verifyMerkleProof,
  type BatchCommitment,
  type InteropBundle,
} from './index.js'

let anvil: AnvilProcess
let chain: ChainConnection
let harness: Address
const key = devAccount(0).privateKey
const RUNS = 40

const read = (functionName: string, args: readonly unknown[]) =>
  chain.client.readContract({ address: harness, abi: c.protocolHarnessAbi, functionName, args } as never) as Promise<unknown>

/** Runs `f`, returning its value or the error name: so both sides can be compared, failures included. */
async function outcome(f: () => unknown | Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: await f() }
  } catch {
    return { ok: false }
  }
}

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b))
const nonZeroBytes32 = bytes32.filter((h) => BigInt(h) !== 0n)
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(bytesToHex(b)))
const uint256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n })
const chainId = fc.bigInt({ min: 1n, max: (1n << 256n) - 1n })
const smallUint = fc.bigInt({ min: 0n, max: 1n << 64n })

before(async () => {
  anvil = createAnvil({ chainId: 31337, port: 0, name: 'protocol-harness' })
  await anvil.start()
  chain = new ChainConnection({ chainId: 31337, name: 'protocol-harness', rpcUrl: anvil.rpcUrl })
  harness = (await chain.deploy(key, { abi: c.protocolHarnessAbi, bytecode: c.protocolHarnessBytecode, action: 'deploy ProtocolHarness' })).address
})
after(async () => {
  await anvil?.stop()
})

describe('TypeScript and Solidity agree', () => {
  test('on ERC-7930 addresses: formatting, and which byte strings parse to what', async () => {
    await fc.assert(
      fc.asyncProperty(chainId, address, async (id, addr) => {
        assert.equal(await read('format', [id, addr]), formatInteroperableAddress({ chainId: id, address: addr }))
      }),
      { numRuns: RUNS },
    )
    // Mutations of valid addresses and random bytes: both accept with the same result, or both refuse.
    const candidate = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 40 }).map((b) => bytesToHex(b)),
      fc.tuple(chainId, address, fc.nat(60), fc.nat(255)).map(([id, addr, at, value]) => {
        const valid = formatInteroperableAddress({ chainId: id, address: addr })
        const raw = [...Buffer.from(valid.slice(2), 'hex')]
        raw[at % raw.length] = value
        return bytesToHex(Uint8Array.from(raw))
      }),
    )
    await fc.assert(
      fc.asyncProperty(candidate, async (hex) => {
        const sol = await outcome(async () => {
          const [id, addr] = (await read('parse', [hex])) as [bigint, Address]
          return `${id}:${getAddress(addr)}`
        })
        const ts = await outcome(() => {
          const parsed = parseInteroperableAddress(hex)
          return `${parsed.chainId}:${getAddress(parsed.address)}`
        })
        assert.deepEqual(ts, sol, `disagree on ${hex}`)
      }),
      { numRuns: RUNS * 2 },
    )
  })

  test('on every domain-separated hash', async () => {
    await fc.assert(
      fc.asyncProperty(address, bytes32, uint256, bytes32, async (sender, hash, n, root) => {
        assert.equal(await read('messageLeaf', [sender, hash]), messageLeaf(sender, hash))
        assert.equal(await read('batchLeaf', [n, root]), batchLeaf(n, root))
        assert.equal(await read('chainLeaf', [n, root]), chainLeaf(n, root))
      }),
      { numRuns: RUNS },
    )
    const roots = fc.array(fc.record({ slChainId: smallUint, slBlockNumber: smallUint, root: bytes32 }), { maxLength: 6 })
    await fc.assert(
      fc.asyncProperty(roots, async (list) => {
        assert.equal(await read('importedRootsHash', [list]), importedRootsHash(list))
      }),
      { numRuns: RUNS },
    )
  })

  test('on Merkle roots of random sizes, and on which proofs they accept', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(nonZeroBytes32, { minLength: 1, maxLength: 70 }), fc.nat(), fc.nat(), fc.nat(3), async (leaves, pick, flip, tamper) => {
        const tree = new MerkleTree(leaves)
        assert.equal(await read('rootOf', [leaves]), tree.root)
        const proof = tree.proof(pick % leaves.length)
        const siblings = [...proof.siblings]
        let { leaf, index, count } = proof
        // 0: untouched; 1: a sibling changed; 2: another index; 3: another count.
        if (tamper === 1 && siblings.length > 0) siblings[flip % siblings.length] = leaves[flip % leaves.length] === siblings[flip % siblings.length] ? bytesToHex(new Uint8Array(32).fill(7)) : leaves[flip % leaves.length]!
        if (tamper === 2) index = BigInt(flip % (leaves.length + 2))
        if (tamper === 3) count = BigInt(flip % (leaves.length * 2 + 1))
        const sol = await outcome(() => read('verify', [leaf, index, count, siblings]))
        const ts = await outcome(() => verifyMerkleProof({ leaf, index, count, siblings }))
        assert.deepEqual(ts, sol)
        if (tamper === 0) assert.deepEqual(ts, { ok: true, value: tree.root })
      }),
      { numRuns: RUNS * 2 },
    )
  })

  test('on the incremental tree of the settlement layer, at every count', async () => {
    const leaves = Array.from({ length: 20 }, (_, i) => bytesToHex(new Uint8Array(32).fill(i + 1)))
    const mirror = new IncrementalMerkleTree()
    for (const leaf of leaves) {
      await chain.write(key, { address: harness, abi: c.protocolHarnessAbi, functionName: 'append', args: [leaf] })
      mirror.append(leaf)
      assert.equal(await read('incrementalRoot', []), mirror.root)
    }
  })

  test('on bundle encoding and bundle hashes', async () => {
    const call = fc.record({ to: address, from: address, value: smallUint, data: fc.uint8Array({ maxLength: 100 }).map((b) => bytesToHex(b)) })
    const bundle = fc.record({
      version: fc.constant(1n),
      sourceChainId: smallUint,
      destinationChainId: smallUint,
      salt: bytes32,
      calls: fc.array(call, { maxLength: 4 }),
      executionAddress: address,
      unbundler: address,
    })
    await fc.assert(
      fc.asyncProperty(bundle, async (b: InteropBundle) => {
        assert.equal(await read('encodeBundle', [b]), encodeBundle(b))
        assert.equal(await read('bundleHash', [b]), bundleHash(b))
      }),
      { numRuns: RUNS },
    )
  })

  test('on batch commitment hashes', async () => {
    const commitment = fc.record({
      batchNumber: smallUint,
      previousBatchHash: bytes32,
      firstBlock: smallUint,
      lastBlock: smallUint,
      stateRoot: bytes32,
      messageRoot: bytes32,
      messageCount: smallUint,
      priorityRequestsCount: smallUint,
      priorityRequestsHash: bytes32,
      importedRootsCount: smallUint,
      importedRootsHash: bytes32,
      timestamp: smallUint,
    })
    await fc.assert(
      fc.asyncProperty(commitment, async (b: BatchCommitment) => {
        assert.equal(await read('batchHash', [b]), batchHash(b) as Hex)
      }),
      { numRuns: RUNS },
    )
  })
})
