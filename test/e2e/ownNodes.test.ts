// Nodes Junction did not start (issue 17): the test starts its own nodes on free ports, as an operator
// would on other machines (an L1; a Gateway; `north` on the Gateway; `south` on L1, mining a block every
// second), each ZK chain from the genesis `junction genesis` writes. `junction deploy` deploys onto them
// and writes the manifest, `junction up` on that data dir runs the services; Junction starts no process.
// Messages go both ways between an L1 chain and a Gateway chain, a deposit and a withdrawal go through
// the interval-mined chain, and nodes Junction cannot use are refused before anything is sent.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parseEther, stringToHex, type Address, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { DEV_MNEMONIC, DEV_ROLES, devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../../src/chain/process/index.js'
import { zkChainNodeFlags } from '../../src/chain/zkChainNode.js'
import * as c from '../../src/contracts/generated/index.js'
import { ZkChainGenesisError } from '../../src/errors/deployment.js'
import { ChainIdMismatchError, DuplicateNodeError, L1AccountsNotFundedError, NetworkAlreadyInDataDirError, NodeUnreachableError, NotADevelopmentChainError } from '../../src/errors/nodes.js'
import { deployOntoNodes, type DeployOntoNodesParameters } from '../../src/network/deployOntoNodes.js'
import type { NetworkManifest, ZkChainInfo } from '../../src/network/types.js'
import { depositETH, finalizeWithdrawal, JunctionIndex, ProofNotReadyError, sendMessage, waitForDeposit, waitForMessage, withdrawETH } from '../../src/sdk/index.js'
import { eventually } from '../support/e2e.js'
import { childPids, runJunction, spawnJunction, type JunctionProcess } from '../support/junctionProcess.js'
import { walletFor } from '../support/testNetwork.js'

const L1_ID = 31337
const GATEWAY_ID = 31340
const NORTH_ID = 4101
const SOUTH_ID = 4102
const SOLO_ID = 4103

let dir: string
let dataDir: string
const nodes: Record<'l1' | 'gateway' | 'north' | 'south' | 'stray' | 'poorL1' | 'emptyL1' | 'soloL1' | 'solo', AnvilProcess> = {} as never
let services: JunctionProcess | undefined
let manifest: NetworkManifest

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'junction-own-nodes-'))
  dataDir = join(dir, 'data')
  // Each ZK chain's genesis from the helper an operator uses; its place in `junction deploy` picks its operator.
  const genesis = (name: string, chainId: number, position: number) => runJunction(['genesis', '--chain-id', String(chainId), '--position', String(position), '--out', join(dir, `${name}.json`)])
  const written = await Promise.all([genesis('north', NORTH_ID, 0), genesis('south', SOUTH_ID, 1), genesis('gateway', GATEWAY_ID, 2), genesis('solo', SOLO_ID, 0)])
  for (const run of written) assert.equal(run.code, 0, run.stderr)
  assert.match(written[1]!.stdout, new RegExp(`anvil --port 8545 --init \\S+south\\.json --balance 0 --base-fee 0`), 'junction genesis prints the flags the node starts with')
  const zk = (name: string, chainId: number, extra: string[] = []) => createAnvil({ name, chainId, port: 0, extraArgs: [...zkChainNodeFlags({ genesisFile: join(dir, `${name}.json`) }), ...extra] })
  // The L1 is a plain development anvil that funds the mnemonic's first 20 accounts (10,000 ETH each).
  nodes.l1 = createAnvil({ name: 'l1', chainId: L1_ID, port: 0, accounts: 20, mnemonic: DEV_MNEMONIC })
  nodes.gateway = zk('gateway', GATEWAY_ID)
  nodes.north = zk('north', NORTH_ID)
  nodes.south = zk('south', SOUTH_ID, ['--block-time', '1'])
  // Nodes Junction must refuse: one without a ZK chain's genesis or a development chain id, an L1 that funds
  // only anvil's default 10 accounts, and one that funds none.
  nodes.stray = createAnvil({ name: 'stray', chainId: 4242, port: 0, mnemonic: DEV_MNEMONIC })
  nodes.poorL1 = createAnvil({ name: 'poorL1', chainId: 1337, port: 0, accounts: 10, mnemonic: DEV_MNEMONIC })
  nodes.emptyL1 = createAnvil({ name: 'emptyL1', chainId: 31346, port: 0, accounts: 20, mnemonic: DEV_MNEMONIC, balance: 0 })
  // A second, smallest network for `junction up --l1 URL --chain NAME=URL`: an L1 and one ZK chain.
  nodes.soloL1 = createAnvil({ name: 'soloL1', chainId: 1337, port: 0, accounts: 20, mnemonic: DEV_MNEMONIC })
  nodes.solo = zk('solo', SOLO_ID)
  await Promise.all(Object.values(nodes).map((node) => node.start()))
})

after(async () => {
  if (services && !services.done) await services.kill('SIGKILL')
  await Promise.all(Object.values(nodes).map((node) => node.stop()))
  rmSync(dir, { recursive: true, force: true })
})

/** The four nodes of the network, as `deployOntoNodes` takes them. */
const network = (): DeployOntoNodesParameters => ({
  l1: { name: 'l1', rpcUrl: nodes.l1.rpcUrl },
  gateway: { name: 'gateway', rpcUrl: nodes.gateway.rpcUrl },
  chains: [
    { name: 'north', rpcUrl: nodes.north.rpcUrl, settlesOn: 'gateway' },
    { name: 'south', rpcUrl: nodes.south.rpcUrl, settlesOn: 'l1' },
  ],
  dataDir: join(dir, 'refused'),
  timeoutMs: 1_000,
})

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

const chain = (name: string): ZkChainInfo => manifest.chains.find((info) => info.name === name)!
const connection = (name: string) => new ChainConnection(name === 'l1' ? manifest.l1 : chain(name))
const user = () => manifest.accounts.users[0]!

/** How many transactions `address` sent on the node at `rpcUrl`, pending ones too. */
const sentFrom = (rpcUrl: string, chainId: number, address: Address) => new ChainConnection({ name: 'node', chainId, rpcUrl }).client.getTransactionCount({ address, blockTag: 'pending' })

describe('on nodes Junction did not start', () => {
  test('junction deploy refuses, before it sends anything, nodes it cannot use, each with a typed error', async () => {
    const refused = async (parameters: DeployOntoNodesParameters) => deployOntoNodes(parameters).then(() => assert.fail('deployed'), (error: unknown) => error)
    const base = network()
    const [north, south] = base.chains

    const unreachable = await refused({ ...base, chains: [north!, { ...south!, rpcUrl: `http://127.0.0.1:${await deadPort()}` }] })
    assert.ok(unreachable instanceof NodeUnreachableError, String(unreachable))
    assert.equal(unreachable.chainName, 'south')

    const sameUrl = await refused({ ...base, chains: [north!, { ...south!, rpcUrl: nodes.north.rpcUrl }] })
    assert.ok(sameUrl instanceof DuplicateNodeError && sameUrl.what === 'url', String(sameUrl))
    const sameName = await refused({ ...base, chains: [north!, { ...south!, name: 'north' }] })
    assert.ok(sameName instanceof DuplicateNodeError && sameName.what === 'name', String(sameName))

    const mismatch = await refused({ ...base, chains: [north!, { ...south!, chainId: 4109 }] })
    assert.ok(mismatch instanceof ChainIdMismatchError, String(mismatch))
    assert.deepEqual([mismatch.expected, mismatch.actual], [4109, SOUTH_ID])

    const notDevelopment = await refused({ ...base, l1: { name: 'l1', rpcUrl: nodes.stray.rpcUrl }, chains: [south!], gateway: undefined })
    assert.ok(notDevelopment instanceof NotADevelopmentChainError, String(notDevelopment))
    assert.equal(notDevelopment.chainId, 4242)

    const poor = await refused({ ...base, l1: { name: 'l1', rpcUrl: nodes.poorL1.rpcUrl } })
    assert.ok(poor instanceof L1AccountsNotFundedError, String(poor))
    assert.deepEqual(poor.accounts.map((account) => account.role), ['operator of north', 'operator of south', 'operator of gateway'], 'the operators (dev accounts 10 and up) are not funded by an anvil with 10 accounts')

    const empty = await refused({ ...base, l1: { name: 'l1', rpcUrl: nodes.emptyL1.rpcUrl } })
    assert.ok(empty instanceof L1AccountsNotFundedError, String(empty))
    assert.deepEqual(empty.accounts[0], { role: 'L1 deployer', address: devAccount(DEV_ROLES.l1Deployer).address, balance: 0n, needs: empty.accounts[0]!.needs })
    assert.ok(empty.accounts[0]!.needs > 0n, 'the deployer needs gas on an L1 that charges for it')
    assert.equal(empty.accounts.length, 1 + 1 + 3 + 5, 'the deployer, the relayer, three operators, five dev users')

    const noGenesis = await refused({ ...base, chains: [north!, { ...south!, rpcUrl: nodes.stray.rpcUrl }] })
    assert.ok(noGenesis instanceof ZkChainGenesisError, String(noGenesis))

    // Nothing was sent to any node: they can all still be deployed onto.
    const l1Deployer = devAccount(DEV_ROLES.l1Deployer).address
    const l2Deployer = devAccount(DEV_ROLES.l2Deployer).address
    assert.equal(await sentFrom(nodes.l1.rpcUrl, L1_ID, l1Deployer), 0)
    assert.equal(await sentFrom(nodes.gateway.rpcUrl, GATEWAY_ID, l1Deployer), 0)
    for (const [name, id] of [['north', NORTH_ID], ['south', SOUTH_ID], ['gateway', GATEWAY_ID]] as const) assert.equal(await sentFrom(nodes[name].rpcUrl, id, l2Deployer), 0, name)
  })

  test('`junction deploy` deploys onto the nodes and writes a manifest that says Junction did not start them', async () => {
    const refusal = await runJunction(['deploy', '--l1', nodes.l1.rpcUrl, '--chain', `south=${nodes.stray.rpcUrl}`, '--data-dir', join(dir, 'refused')])
    assert.equal(refusal.code, 1)
    assert.match(refusal.stderr, /error: south was not started with a ZK chain's genesis/)
    assert.match(refusal.stderr, /junction genesis --chain-id/)

    const deployed = await runJunction(
      ['deploy', '--l1', nodes.l1.rpcUrl, '--gateway', `${nodes.gateway.rpcUrl},chain-id=${GATEWAY_ID}`, '--chain', `north=${nodes.north.rpcUrl},gateway`, '--chain', `south=${nodes.south.rpcUrl}`, '--data-dir', dataDir],
      120_000,
    )
    assert.equal(deployed.code, 0, `${deployed.stdout}\n${deployed.stderr}`)
    console.log(deployed.stdout.split('\n').filter((line) => /deployed in|south: chain/.test(line)).join('\n'))
    manifest = JSON.parse(readFileSync(join(dataDir, 'network.json'), 'utf8')) as NetworkManifest
    assert.equal(manifest.nodes, 'external')
    assert.deepEqual(
      [manifest.l1, ...manifest.chains].map((info) => [info.name, info.chainId, info.rpcUrl]),
      [['l1', L1_ID, nodes.l1.rpcUrl], ['north', NORTH_ID, nodes.north.rpcUrl], ['south', SOUTH_ID, nodes.south.rpcUrl], ['gateway', GATEWAY_ID, nodes.gateway.rpcUrl]],
      'chain ids read from the nodes',
    )
    assert.deepEqual(manifest.chains.map((info) => info.settlementLayer), [GATEWAY_ID, L1_ID, L1_ID])
    for (const info of manifest.chains) assert.notEqual(await connection(info.name).client.getCode({ address: manifest.l2Contracts.interopCenter }), undefined, `${info.name} has the InteropCenter`)
    const registry = { address: manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi } as const
    assert.equal(await connection('l1').client.readContract({ ...registry, functionName: 'settlementLayerOf', args: [BigInt(NORTH_ID)] }), BigInt(GATEWAY_ID))
    assert.equal(await connection('l1').client.readContract({ ...registry, functionName: 'settlementLayerOf', args: [BigInt(SOUTH_ID)] }), BigInt(L1_ID))
    // A data dir that holds a network is never deployed over.
    await assert.rejects(deployOntoNodes({ ...network(), dataDir }), NetworkAlreadyInDataDirError)
  })

  test('`junction up` on that data dir runs the services, starts no process, and the chains release the dev users\' deposits', async () => {
    services = spawnJunction(['up', '--data-dir', dataDir])
    await services.waitForLine(/ready in [\d.]+ s/, 30_000)
    assert.match(services.stdout(), /Junction started none of them/)
    assert.deepEqual(childPids(services.pid), [], 'junction up started no process')
    // Each dev user deposited 1,000 ETH to every chain from L1 at deployment; south mines once a second.
    const started = Date.now()
    const users = manifest.accounts.users.map((account) => account.address)
    for (const name of ['north', 'south', 'gateway']) {
      const released = async () => (await Promise.all(users.map((address) => connection(name).client.getBalance({ address })))).every((balance) => balance === parseEther('1000'))
      await eventually(`${name} released the dev users' ETH`, async () => ((await released()) ? true : undefined), { timeoutMs: 30_000 })
      console.log(`${name} released the ${users.length} dev users' deposits ${Date.now() - started} ms after the services were ready`)
    }
  })

  test('a message from south (on L1, interval-mined) to north (on the Gateway) is delivered, and one back', async () => {
    const index = new JunctionIndex(manifest)
    const deliver = async (from: string, to: string, text: string) => {
      const { bundleHash } = await sendMessage(walletFor(chain(from), user().privateKey), {
        interopCenter: manifest.l2Contracts.interopCenter,
        recipient: { chainId: chain(to).chainId, address: manifest.l2Contracts.exampleRecipient },
        payload: stringToHex(text),
      })
      const status = await waitForMessage(index, { bundleHash, timeoutMs: 60_000 })
      assert.equal(status.status, 'executed', `${from} → ${to}`)
      const lastPayload = await connection(to).client.readContract({ address: manifest.l2Contracts.exampleRecipient, abi: c.standardRecipientAbi, functionName: 'lastPayload' })
      assert.equal(lastPayload, stringToHex(text), `${to}'s recipient got the payload`)
    }
    await deliver('south', 'north', 'from south, on L1')
    await deliver('north', 'south', 'from north, on the Gateway')
    assert.deepEqual(childPids(services!.pid), [], 'still no process of its own')
  })

  test('a deposit to the interval-mined chain and a withdrawal from it go through', async () => {
    const south = connection('south')
    const l1 = connection('l1')
    const key: Hex = generatePrivateKey()
    const account = privateKeyToAccount(key).address
    await l1.client.waitForTransactionReceipt({ hash: await walletFor(manifest.l1, user().privateKey).sendTransaction({ to: account, value: parseEther('3') }) })
    const { requestIndex } = await depositETH(walletFor(manifest.l1, key), { manifest, chainId: SOUTH_ID, amount: parseEther('2') })
    await waitForDeposit(south.client, { manifest, requestIndex, timeoutMs: 30_000 })
    assert.equal(await south.client.getBalance({ address: account }), parseEther('2'))

    const receiver: Address = privateKeyToAccount(generatePrivateKey()).address
    const { transactionHash } = await withdrawETH(walletFor(chain('south'), key), { manifest, amount: parseEther('2'), to: receiver })
    assert.equal(await south.client.getBalance({ address: account }), 0n)
    const index = new JunctionIndex(manifest)
    await eventually('the withdrawal finalized on L1', async () => {
      try {
        return await finalizeWithdrawal(walletFor(manifest.l1, user().privateKey), index, { chainId: SOUTH_ID, transactionHash })
      } catch (error) {
        if (error instanceof ProofNotReadyError) return undefined
        throw error
      }
    }, { timeoutMs: 30_000 })
    assert.equal(await l1.client.getBalance({ address: receiver }), parseEther('2'))
  })

  test('Ctrl-C stops the services and leaves the nodes running', async () => {
    const exit = await services!.kill('SIGINT')
    assert.equal(exit.code === 0 || exit.code === 130, true, `exit ${JSON.stringify(exit)}\n${services!.stderr()}`)
    assert.match(services!.stdout(), /your nodes keep running/)
    for (const name of ['l1', 'north', 'south', 'gateway'] as const) assert.ok(nodes[name].status === 'started', `${name} still runs`)
    // south mines on its own schedule, with nobody sending to it.
    const head = await connection('south').client.getBlockNumber()
    await eventually('south mined two more blocks by itself', async () => ((await connection('south').client.getBlockNumber({ cacheTime: 0 })) >= head + 2n ? true : undefined), { timeoutMs: 10_000 })
  })

  test('`junction up --l1 URL --chain NAME=URL` deploys and runs the services in one, and refuses options that start nodes', async () => {
    const refusal = await runJunction(['up', '--l1', nodes.soloL1.rpcUrl, '--chain', `solo=${nodes.solo.rpcUrl}`, '--base-port', '0', '--data-dir', join(dir, 'solo')])
    assert.equal(refusal.code, 1)
    assert.match(refusal.stderr, /error: up: --base-port start nodes; these nodes are yours/)

    const up = spawnJunction(['up', '--l1', nodes.soloL1.rpcUrl, '--chain', `solo=${nodes.solo.rpcUrl}`, '--data-dir', join(dir, 'solo')])
    try {
      await up.waitForLine(/ready in [\d.]+ s/, 60_000)
      assert.deepEqual(childPids(up.pid), [], 'junction up started no process')
      const solo = JSON.parse(readFileSync(join(dir, 'solo', 'network.json'), 'utf8')) as NetworkManifest
      assert.equal(solo.nodes, 'external')
      assert.deepEqual(solo.chains.map((info) => [info.name, info.chainId, info.settlementLayer]), [['solo', SOLO_ID, 1337]])
      // It waited for the chain to release the dev users' deposits before it said ready.
      assert.equal(await new ChainConnection(solo.chains[0]!).client.getBalance({ address: solo.accounts.users[4]!.address }), parseEther('1000'))
    } finally {
      await up.kill('SIGINT')
    }
    assert.ok(nodes.solo.status === 'started' && nodes.soloL1.status === 'started', 'the nodes keep running')
  })
})
