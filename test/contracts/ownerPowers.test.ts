// The owner's setters on a settlement layer (README "Who can do what"): each is one-time, and a Gateway's
// addresses, which L1 trusts with the Gateway's account, can never be re-pointed. One anvil plays L1.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { getAddress, keccak256, zeroAddress, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../../src/chain/process/index.js'
import * as c from '../../src/contracts/generated/index.js'
import { rejectsWith } from '../../src/testing/rejectsWith.js'

/** The network's default timeout of priority requests (forced inclusion, protocol §9.2). */
const DAY = 86_400n
const L1 = 31337
const G = 999n
const deployer = devAccount(0)
const operator = devAccount(4)
const stranger = devAccount(5)
/** Stand-ins for the Gateway's forwarder, registry and asset tracker (first registration) and for a forger's. */
const [forwarder, gatewayRegistry, tracker] = [devAccount(7).address, devAccount(8).address, devAccount(9).address]
const [otherForwarder, otherRegistry, otherTracker] = [stranger.address, devAccount(3).address, devAccount(2).address]

let anvil: AnvilProcess
let chain: ChainConnection
let root: Address
let registry: Address
let vault: Address
let gatewaySettlement: Address

const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
  chain.client.readContract({ address, abi, functionName, args } as never) as Promise<T>
const deploy = async (abi: readonly unknown[], bytecode: Hex, args: readonly unknown[], action: string) =>
  getAddress((await chain.deploy(deployer.privateKey, { abi: abi as never, bytecode, args, action })).address)
const write = (key: Hex, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
  chain.write(key, { address, abi: abi as never, functionName, args } as never)

before(async () => {
  anvil = createAnvil({ chainId: L1, port: 0, name: 'owner-powers' })
  await anvil.start()
  chain = new ChainConnection({ chainId: L1, name: 'owner-powers', rpcUrl: anvil.rpcUrl })
  const verifier = await deploy(c.developmentVerifierAbi, c.developmentVerifierBytecode, [], 'deploy DevelopmentVerifier')
  root = await deploy(c.messageRootAbi, c.messageRootBytecode, [zeroAddress, zeroAddress, 0n], 'deploy MessageRoot')
  registry = await deploy(c.chainRegistryAbi, c.chainRegistryBytecode, [root, zeroAddress], 'deploy ChainRegistry')
  vault = await deploy(c.l1NativeTokenVaultAbi, c.l1NativeTokenVaultBytecode, [], 'deploy L1NativeTokenVault')
  gatewaySettlement = await deploy(
    c.chainSettlementAbi,
    c.chainSettlementBytecode,
    [G, operator.address, verifier, root, keccak256('0x01'), 0n, stranger.address, registry, true, DAY],
    'deploy the Gateway chain settlement',
  )
})
after(async () => {
  await anvil?.stop()
})

describe('owner powers on a settlement layer', () => {
  test('the message root, vault and registry take their wiring once, from the owner only', async () => {
    await rejectsWith(write(stranger.privateKey, root, c.messageRootAbi, 'setRegistry', [registry]), 'NotOwner')
    await write(deployer.privateKey, root, c.messageRootAbi, 'setRegistry', [registry])
    assert.deepEqual((await rejectsWith(write(deployer.privateKey, root, c.messageRootAbi, 'setRegistry', [stranger.address]), 'RegistryAlreadySet')).errorArgs, [registry])

    await rejectsWith(write(stranger.privateKey, vault, c.l1NativeTokenVaultAbi, 'setAssetRouter', [stranger.address]), 'NotOwner')
    await write(deployer.privateKey, vault, c.l1NativeTokenVaultAbi, 'setAssetRouter', [forwarder])
    assert.deepEqual((await rejectsWith(write(deployer.privateKey, vault, c.l1NativeTokenVaultAbi, 'setAssetRouter', [stranger.address]), 'AssetRouterAlreadySet')).errorArgs, [forwarder])

    await write(deployer.privateKey, registry, c.chainRegistryAbi, 'setAssetRouter', [forwarder])
    await rejectsWith(write(deployer.privateKey, registry, c.chainRegistryAbi, 'setAssetRouter', [stranger.address]), 'AssetRouterAlreadySet')
    assert.equal(await read(registry, c.chainRegistryAbi, 'assetRouter'), forwarder)
  })

  test("a Gateway's forwarder, registry and asset tracker are registered once and never re-pointed", async () => {
    await write(deployer.privateKey, registry, c.chainRegistryAbi, 'registerChain', [G, gatewaySettlement])
    await rejectsWith(write(deployer.privateKey, registry, c.chainRegistryAbi, 'registerChain', [G, stranger.address]), 'ChainAlreadyRegistered')
    await rejectsWith(write(stranger.privateKey, registry, c.chainRegistryAbi, 'registerSettlementLayer', [G, forwarder, gatewayRegistry, tracker]), 'NotOwner')
    const first = await write(deployer.privateKey, registry, c.chainRegistryAbi, 'registerSettlementLayer', [G, forwarder, gatewayRegistry, tracker])
    console.log(`registerSettlementLayer: ${first.gasUsed} gas`)

    // The owner cannot point L1 at contracts of its choosing afterwards, not even one address at a time.
    for (const args of [
      [G, otherForwarder, otherRegistry, otherTracker],
      [G, forwarder, otherRegistry, tracker],
      [G, forwarder, gatewayRegistry, otherTracker],
      [G, forwarder, gatewayRegistry, tracker],
    ]) {
      const refused = await rejectsWith(write(deployer.privateKey, registry, c.chainRegistryAbi, 'registerSettlementLayer', args), 'SettlementLayerAlreadyRegistered')
      assert.deepEqual(refused.errorArgs, [G, forwarder, gatewayRegistry, tracker])
    }
    assert.equal(await read(registry, c.chainRegistryAbi, 'priorityForwarderOf', [G]), forwarder)
    assert.equal(await read(registry, c.chainRegistryAbi, 'settlementLayerRegistryOf', [G]), gatewayRegistry)
    assert.equal(await read(registry, c.chainRegistryAbi, 'assetTrackerOf', [G]), tracker)
  })
})
