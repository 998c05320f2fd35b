import { randomBytes } from 'node:crypto'
import { bytesToHex, getContractAddress, zeroAddress, zeroHash, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import * as c from '../contracts/generated/index.js'
import { ZkChainGenesisError } from '../errors/deployment.js'
import { JunctionError } from '../errors/JunctionError.js'
import { NotADevelopmentChainError } from '../errors/nodes.js'
import { settlementLayerMessageRootAddress } from '../network/topology.js'
import type { GatewayContracts, L2Contracts, NetworkManifest, SettlementLayerContracts, ZkChainInfo } from '../network/types.js'
import { batchHash, emptyBatchCommitment, ethAssetId, isDevelopmentChainId } from '../protocol/index.js'
import { ChainConnection } from './ChainConnection.js'
import { DEV_ROLES, devAccount, operatorRole } from './devAccounts.js'
import { ZK_CHAIN_ETH_SUPPLY, zkChainNodeFlags } from './zkChainNode.js'
import { CONTRACTS_VERSION } from '../network/contractsVersion.js'

/** A chain to deploy on: where it answers and what it is called. */
export type ChainEndpoint = { name: string; chainId: number; rpcUrl: string }

/**
 * Default seconds a priority request (a deposit) may wait to be processed by a committed batch of its
 * chain (`ChainSettlement.priorityRequestTimeout`, docs/protocol.md §9.2): one day. The services process
 * a request as soon as it is indexed and commit it with the next batch, seconds later, so only a chain (or
 * its services) stopped for that long with a request pending meets it; they then process it before the
 * chain can commit anything else.
 */
export const DEFAULT_PRIORITY_REQUEST_TIMEOUT_SECONDS = 86_400

/** A ZK chain to deploy: its endpoint and where it settles (default L1). */
export type ZkChainEndpoint = ChainEndpoint & {
  settlesOn?: 'l1' | 'gateway'
  /**
   * A private chain (docs/prividium.md): its InteropCenter is deployed with a random blinding key, so that
   * its bundles' leaves are blinded (docs/protocol.md §4.1), and its L2AssetRouter with another, so that its
   * withdrawals' leaves are (§9.13). The keys stay in the chain's state only.
   */
  private?: boolean
}

/** Parameters of {@link deployNetwork}. */
export type DeployNetworkParameters = {
  l1: ChainEndpoint
  chains: ZkChainEndpoint[]
  /** The Gateway: a ZK chain settling on L1 that is the settlement layer of the chains with `settlesOn: 'gateway'`. */
  gateway?: ChainEndpoint
  /** Progress lines (`deployed MessageRoot on l1`). */
  onProgress?: (line: string) => void
  /** Seconds a priority request may wait to be processed (forced inclusion); default {@link DEFAULT_PRIORITY_REQUEST_TIMEOUT_SECONDS}. */
  priorityRequestTimeoutSeconds?: number
  /**
   * The gas price (wei per gas) posted on L1 for every chain's execution and for settlement, which fee
   * quotes use (docs/fees.md; the operator posts new ones with `ChainRegistry.postGasPrices`). Default
   * {@link DEFAULT_GAS_PRICE_WEI}.
   */
  gasPriceWei?: bigint
}

/** The gas price posted for every chain and for settlement when a network is deployed: 1 gwei. */
export const DEFAULT_GAS_PRICE_WEI = 1_000_000_000n

/** The L2 deployer's nonce was not 0 on a chain, so Junction's L2 contracts would not land at the shared addresses. */
export class DeployerNonceError extends JunctionError {
  override name = 'DeployerNonceError'
  constructor(chain: string, deployer: Address, nonce: number) {
    super(`the deployer ${deployer} has already sent ${nonce} transaction(s) on ${chain}`, {
      details: 'Junction deploys its contracts at the same address on every chain from fresh deployer accounts (nonce 0). Start the chain fresh, or use a chain where that account is unused.',
    })
  }
}

/** The network asks for a chain on the Gateway without a Gateway. */
export class GatewayMissingError extends JunctionError {
  override name = 'GatewayMissingError'
  constructor(chain: string) {
    super(`${chain} settles on the Gateway, but the network has no Gateway`)
  }
}

/**
 * Deploys every Junction contract: the settlement-layer contracts on L1 (and on the Gateway, when
 * there is one), the L2 contracts on each ZK chain and the Gateway (same addresses on every chain),
 * a settlement contract per chain on every settlement layer (active where it settles), and registers the chains. Returns the
 * network manifest; the Gateway is the last of its `chains`, with `role: 'gateway'`.
 *
 * @example
 * ```ts
 * const manifest = await deployNetwork({ l1, chains: [alpha, beta] })
 * ```
 */
export async function deployNetwork(parameters: DeployNetworkParameters): Promise<NetworkManifest> {
  const progress = parameters.onProgress ?? (() => {})
  const l1Deployer = devAccount(DEV_ROLES.l1Deployer)
  const l2Deployer = devAccount(DEV_ROLES.l2Deployer)
  const l1 = new ChainConnection(parameters.l1)
  const gatewayEndpoint = parameters.gateway
  for (const chain of parameters.chains) if (chain.settlesOn === 'gateway' && !gatewayEndpoint) throw new GatewayMissingError(chain.name)
  const zkChains: (ZkChainEndpoint & { operatorRole: number })[] = [
    ...parameters.chains.map((chain, i) => ({ ...chain, operatorRole: operatorRole(i) })),
    ...(gatewayEndpoint ? [{ ...gatewayEndpoint, settlesOn: 'l1' as const, operatorRole: operatorRole(parameters.chains.length) }] : []),
  ]

  const l2Contracts = predictL2Contracts(l2Deployer.address)
  const relayer = devAccount(DEV_ROLES.relayer)
  const users = Array.from({ length: DEV_ROLES.userCount }, (_, i) => devAccount(DEV_ROLES.firstUser + i))
  // Every account the network signs with: none may hold ETH on a ZK chain before anything is bridged in.
  const devAddresses = [l1Deployer, l2Deployer, relayer, ...users, ...zkChains.map((chain) => devAccount(chain.operatorRole))].map((account) => account.address)
  // MessageRoot is the L1 deployer's first contract on L1 (and on the Gateway), the vault its second:
  // the vault's address (and so ETH's asset id, which the L2 asset routers are built with) is known
  // before anything is deployed.
  const vault = getContractAddress({ from: l1Deployer.address, nonce: 1n })
  const ethAsset = ethAssetId({ l1ChainId: parameters.l1.chainId, l1Vault: vault })
  const gatewayConnection = gatewayEndpoint ? new ChainConnection(gatewayEndpoint) : undefined
  const zkConnections = zkChains.map((chain) => new ChainConnection(chain))
  // Every node is checked before anything is sent to any of them: a refused node leaves every chain as it
  // was, so the same nodes can be deployed onto once it is fixed.
  await expectDeployableNodes({ l1, gateway: gatewayConnection, zkChains: zkConnections, l1Deployer: l1Deployer.address, l2Deployer: l2Deployer.address, holder: l2Contracts.baseTokenHolder, accounts: devAddresses })
  const [slContracts, gatewayContracts, geneses] = await Promise.all([
    deploySettlementLayer(l1, l1Deployer.privateKey, l2Contracts, vault, progress),
    gatewayConnection ? deployGatewaySettlementLayer(gatewayConnection, l1Deployer.privateKey, l2Contracts, { l1ChainId: parameters.l1.chainId, ethAsset }, progress) : undefined,
    Promise.all(
      zkConnections.map((chain, i) =>
        deployL2(chain, l2Deployer.privateKey, devAccount(zkChains[i]!.operatorRole).address, l2Contracts, { messageRoot: settlementLayerMessageRootAddress(l1Deployer.address), gatewayChainId: gatewayEndpoint?.chainId ?? 0, ethAsset, l1ChainId: parameters.l1.chainId, blindingKey: zkChains[i]!.private ? bytesToHex(randomBytes(32)) : zeroHash, withdrawalBlindingKey: zkChains[i]!.private ? bytesToHex(randomBytes(32)) : zeroHash }, progress),
      ),
    ),
  ])

  // The Gateway first: it settles on L1 and becomes a settlement layer there. Every other chain gets
  // a settlement contract on every settlement layer (docs/protocol.md §11), active only where it
  // settles, so that it can move between them later.
  const ordered = gatewayEndpoint ? [zkChains.length - 1, ...zkChains.slice(0, -1).map((_, i) => i)] : zkChains.map((_, i) => i)
  const l1Host = { connection: l1, verifier: slContracts.verifier, messageRoot: slContracts.messageRoot, chainRegistry: slContracts.chainRegistry, priorityRequester: slContracts.assetRouter }
  const gatewayHost = gatewayConnection && gatewayContracts ? { connection: gatewayConnection, ...gatewayContracts, priorityRequester: gatewayContracts.priorityForwarder } : undefined
  const infos: ZkChainInfo[] = new Array(zkChains.length)
  for (const i of ordered) {
    const chain = zkChains[i]!
    const operator = devAccount(chain.operatorRole)
    const genesis = geneses[i]!
    const isGateway = gatewayEndpoint !== undefined && i === zkChains.length - 1
    const home = chain.settlesOn === 'gateway' ? gatewayHost! : l1Host
    const hosts = isGateway || !gatewayHost ? [l1Host] : [l1Host, gatewayHost]
    const settlements: ZkChainInfo['settlements'] = []
    for (const host of hosts) {
      const active = host === home
      const { address } = await host.connection.deploy(l1Deployer.privateKey, {
        abi: c.chainSettlementAbi,
        bytecode: c.chainSettlementBytecode,
        args: [BigInt(chain.chainId), operator.address, host.verifier, host.messageRoot, genesis.batchHash, BigInt(genesis.lastBlock), host.priorityRequester, host.chainRegistry, active, BigInt(parameters.priorityRequestTimeoutSeconds ?? DEFAULT_PRIORITY_REQUEST_TIMEOUT_SECONDS)],
        action: `deploy ChainSettlement for ${chain.name} on ${host.connection.name}`,
      })
      await host.connection.write(l1Deployer.privateKey, { address: host.chainRegistry, abi: c.chainRegistryAbi, functionName: 'registerChain', args: [BigInt(chain.chainId), address], action: `register ${chain.name} on ${host.connection.name}` })
      settlements.push({ slChainId: host.connection.chainId, address })
    }
    if (home === gatewayHost) {
      await l1.write(l1Deployer.privateKey, {
        address: slContracts.chainRegistry,
        abi: c.chainRegistryAbi,
        functionName: 'registerChainOnSettlementLayer',
        args: [BigInt(chain.chainId), BigInt(gatewayEndpoint!.chainId)],
        action: `register ${chain.name} on L1 as settling on the Gateway`,
      })
    }
    if (isGateway) {
      await l1.write(l1Deployer.privateKey, {
        address: slContracts.chainRegistry,
        abi: c.chainRegistryAbi,
        functionName: 'registerSettlementLayer',
        args: [BigInt(chain.chainId), gatewayContracts!.priorityForwarder, gatewayContracts!.chainRegistry, gatewayContracts!.assetTracker],
        action: 'register the Gateway as a settlement layer',
      })
    }
    progress(`registered ${chain.name} (chain ${chain.chainId}) on ${home.connection.name}`)
    const { operatorRole: _, settlesOn: __, private: ___, ...endpoint } = chain
    infos[i] = {
      ...endpoint,
      settlementLayer: home.connection.chainId,
      settlement: settlements.find((s) => s.slChainId === home.connection.chainId)!.address,
      settlements,
      operator,
      genesis,
      ...(isGateway ? { role: 'gateway' as const, gatewayContracts: gatewayContracts! } : {}),
    }
  }

  const gasPrice = parameters.gasPriceWei ?? DEFAULT_GAS_PRICE_WEI
  await l1.write(l1Deployer.privateKey, {
    address: slContracts.chainRegistry,
    abi: c.chainRegistryAbi,
    functionName: 'postGasPrices',
    args: [[...infos.map((info) => ({ chainId: BigInt(info.chainId), weiPerGas: gasPrice })), { chainId: BigInt(parameters.l1.chainId), weiPerGas: gasPrice }]],
    action: 'post the gas prices fees are quoted with',
  })

  return {
    version: 1,
    createdAt: new Date().toISOString(),
    contractsVersion: CONTRACTS_VERSION,
    l1: { ...parameters.l1, contracts: slContracts },
    chains: infos,
    l2Contracts,
    accounts: {
      l1Deployer,
      l2Deployer,
      relayer,
      users,
    },
  }
}

/**
 * Where the L2 contracts land on every chain: CREATE addresses of the L2 deployer's nonces 0 to 6
 * (L2Messenger, InteropHandler, InteropCenter, example recipient, L2PriorityInbox, L2AssetRouter,
 * BaseTokenHolder). The InteropRootStore is the InteropHandler (which inherits it): same address.
 *
 * @example
 * ```ts
 * const { interopCenter, l2AssetRouter } = predictL2Contracts(l2Deployer.address)
 * ```
 */
export function predictL2Contracts(deployer: Address): L2Contracts {
  const at = (nonce: number) => getContractAddress({ from: deployer, nonce: BigInt(nonce) })
  return { interopRootStore: at(1), l2Messenger: at(0), interopHandler: at(1), interopCenter: at(2), exampleRecipient: at(3), priorityInbox: at(4), l2AssetRouter: at(5), baseTokenHolder: at(6) }
}

async function deploySettlementLayer(sl: ChainConnection, key: Hex, l2Contracts: L2Contracts, expectedVault: Address, progress: (line: string) => void): Promise<SettlementLayerContracts> {
  const { address: messageRoot } = await sl.deploy(key, { abi: c.messageRootAbi, bytecode: c.messageRootBytecode, args: [zeroAddress, zeroAddress, 0n], action: 'deploy MessageRoot' })
  const { address: nativeTokenVault } = await sl.deploy(key, { abi: c.l1NativeTokenVaultAbi, bytecode: c.l1NativeTokenVaultBytecode, action: 'deploy L1NativeTokenVault' })
  if (nativeTokenVault.toLowerCase() !== expectedVault.toLowerCase()) throw new Error(`L1NativeTokenVault landed at ${nativeTokenVault} on ${sl.name}, expected ${expectedVault}`)
  const { address: chainRegistry } = await sl.deploy(key, { abi: c.chainRegistryAbi, bytecode: c.chainRegistryBytecode, args: [messageRoot, zeroAddress], action: 'deploy ChainRegistry' })
  await sl.write(key, { address: messageRoot, abi: c.messageRootAbi, functionName: 'setRegistry', args: [chainRegistry] })
  const { address: verifier } = await sl.deploy(key, { abi: c.developmentVerifierAbi, bytecode: c.developmentVerifierBytecode, action: 'deploy DevelopmentVerifier' })
  // The router knows the interop handler, deployed right after it (and the vault's setAssetRouter).
  const routerNonce = await sl.client.getTransactionCount({ address: privateKeyToAccount(key).address })
  const predictedHandler = getContractAddress({ from: privateKeyToAccount(key).address, nonce: BigInt(routerNonce + 3) })
  const { address: assetRouter } = await sl.deploy(key, {
    abi: c.l1AssetRouterAbi,
    bytecode: c.l1AssetRouterBytecode,
    args: [chainRegistry, messageRoot, nativeTokenVault, l2Contracts.l2AssetRouter, l2Contracts.priorityInbox, predictedHandler],
    action: 'deploy L1AssetRouter',
  })
  await sl.write(key, { address: nativeTokenVault, abi: c.l1NativeTokenVaultAbi, functionName: 'setAssetRouter', args: [assetRouter], action: 'set the asset router of L1NativeTokenVault' })
  // Chains moving between settlement layers take their balances along in the router's ledger (docs/protocol.md §11).
  await sl.write(key, { address: chainRegistry, abi: c.chainRegistryAbi, functionName: 'setAssetRouter', args: [assetRouter], action: 'set the asset router of ChainRegistry' })
  const { address: interopHandler } = await sl.deploy(key, {
    abi: c.l1InteropHandlerAbi,
    bytecode: c.l1InteropHandlerBytecode,
    args: [l2Contracts.interopCenter, chainRegistry, messageRoot, assetRouter],
    action: 'deploy L1InteropHandler',
  })
  if (interopHandler.toLowerCase() !== predictedHandler.toLowerCase()) throw new Error(`L1InteropHandler landed at ${interopHandler} on ${sl.name}, expected ${predictedHandler}`)
  progress(`deployed settlement-layer contracts on ${sl.name}`)
  return { messageRoot, chainRegistry, verifier, nativeTokenVault, assetRouter, interopHandler }
}

/**
 * The settlement-layer contracts a Gateway hosts, deployed by the L1 deployer so that MessageRoot
 * lands at the same address as on L1 (its first transaction on each). The Gateway's MessageRoot
 * records each new shared root through the Gateway chain's L2Messenger, and accepts the L1 roots
 * the Gateway chain imported.
 */
async function deployGatewaySettlementLayer(gateway: ChainConnection, key: Hex, l2Contracts: L2Contracts, { l1ChainId, ethAsset }: { l1ChainId: number; ethAsset: Hex }, progress: (line: string) => void): Promise<GatewayContracts> {
  const { address: messageRoot } = await gateway.deploy(key, {
    abi: c.messageRootAbi,
    bytecode: c.messageRootBytecode,
    args: [l2Contracts.l2Messenger, l2Contracts.interopRootStore, BigInt(l1ChainId)],
    action: 'deploy MessageRoot on the Gateway',
  })
  // Its registry takes L1's requests to activate or fence a chain through the Gateway chain's priority inbox.
  const { address: chainRegistry } = await gateway.deploy(key, { abi: c.chainRegistryAbi, bytecode: c.chainRegistryBytecode, args: [messageRoot, l2Contracts.priorityInbox], action: 'deploy ChainRegistry on the Gateway' })
  await gateway.write(key, { address: messageRoot, abi: c.messageRootAbi, functionName: 'setRegistry', args: [chainRegistry] })
  const { address: verifier } = await gateway.deploy(key, { abi: c.developmentVerifierAbi, bytecode: c.developmentVerifierBytecode, action: 'deploy DevelopmentVerifier on the Gateway' })
  const { address: priorityForwarder } = await gateway.deploy(key, {
    abi: c.gatewayPriorityForwarderAbi,
    bytecode: c.gatewayPriorityForwarderBytecode,
    args: [l2Contracts.priorityInbox, chainRegistry],
    action: 'deploy GatewayPriorityForwarder',
  })
  // The chains' balances here (docs/protocol.md §9.10): their settlement contracts ask it before they execute a batch.
  const { address: assetTracker } = await gateway.deploy(key, {
    abi: c.gatewayAssetTrackerAbi,
    bytecode: c.gatewayAssetTrackerBytecode,
    args: [chainRegistry, priorityForwarder, l2Contracts.interopCenter, l2Contracts.l2AssetRouter, l2Contracts.priorityInbox, l2Contracts.l2Messenger, BigInt(l1ChainId), ethAsset],
    action: 'deploy GatewayAssetTracker',
  })
  await gateway.write(key, { address: chainRegistry, abi: c.chainRegistryAbi, functionName: 'setValueApprover', args: [assetTracker] })
  progress(`deployed settlement-layer contracts on ${gateway.name}`)
  return { messageRoot, chainRegistry, verifier, priorityForwarder, assetTracker }
}

/**
 * Throws {@link ZkChainGenesisError} unless `chain` was started with a ZK chain's genesis: the holder's
 * address holds the chain's whole ETH supply, and none of `accounts` (the network's dev accounts) holds
 * any ETH before anything was bridged in.
 */
async function expectZkChainGenesis(chain: ChainConnection, holder: Address, accounts: readonly Address[]): Promise<void> {
  const [allocated, ...balances] = await Promise.all([holder, ...accounts].map((address) => chain.client.getBalance({ address })))
  const flags = zkChainNodeFlags({ genesisFile: `<data dir>/genesis/${chain.name}.json` })
  if (allocated !== ZK_CHAIN_ETH_SUPPLY) throw new ZkChainGenesisError({ chainName: chain.name, flags, problem: { kind: 'holder-not-allocated', holder, balance: allocated!, expected: ZK_CHAIN_ETH_SUPPLY } })
  const funded = balances.findIndex((balance) => balance !== 0n)
  if (funded !== -1) throw new ZkChainGenesisError({ chainName: chain.name, flags, problem: { kind: 'account-funded', account: accounts[funded]!, balance: balances[funded]! } })
}

/** Throws {@link DeployerNonceError} unless `deployer` has sent nothing on `chain` yet (none pending either). */
async function expectFreshDeployer(chain: ChainConnection, deployer: Address): Promise<void> {
  const nonce = await chain.client.getTransactionCount({ address: deployer, blockTag: 'pending' })
  if (nonce !== 0) throw new DeployerNonceError(chain.name, deployer, nonce)
}

/**
 * Throws {@link NotADevelopmentChainError} unless the L1 and the Gateway have chain ids the development
 * verifier runs on (`isDevelopmentChainId`): elsewhere no batch could ever be proven.
 *
 * @example
 * ```ts
 * expectDevelopmentSettlementLayers({ l1: { name: 'l1', chainId: 31337 } })
 * ```
 */
export function expectDevelopmentSettlementLayers(nodes: { l1: { name: string; chainId: number }; gateway?: { name: string; chainId: number } | undefined }): void {
  for (const [chain, role] of [[nodes.l1, 'the L1'], ...(nodes.gateway ? [[nodes.gateway, 'the Gateway'] as const] : [])] as const) {
    if (!isDevelopmentChainId(chain.chainId)) throw new NotADevelopmentChainError({ chainName: chain.name, chainId: chain.chainId, role })
  }
}

/**
 * What {@link deployNetwork} checks before it sends anything: the L1 and the Gateway have chain ids the
 * development verifier runs on ({@link NotADevelopmentChainError}); the L1 deployer has sent nothing on
 * them, nor the L2 deployer on any ZK chain ({@link DeployerNonceError}); every ZK chain (the Gateway too)
 * started from a ZK chain's genesis ({@link ZkChainGenesisError}).
 */
async function expectDeployableNodes(nodes: { l1: ChainConnection; gateway: ChainConnection | undefined; zkChains: readonly ChainConnection[]; l1Deployer: Address; l2Deployer: Address; holder: Address; accounts: readonly Address[] }): Promise<void> {
  expectDevelopmentSettlementLayers(nodes)
  await Promise.all([
    ...[nodes.l1, ...(nodes.gateway ? [nodes.gateway] : [])].map((sl) => expectFreshDeployer(sl, nodes.l1Deployer)),
    ...nodes.zkChains.map(async (chain) => {
      await expectFreshDeployer(chain, nodes.l2Deployer)
      await expectZkChainGenesis(chain, nodes.holder, nodes.accounts)
    }),
  ])
}

async function deployL2(
  chain: ChainConnection,
  key: Hex,
  operator: Address,
  expected: L2Contracts,
  network: { messageRoot: Address; gatewayChainId: number; ethAsset: Hex; l1ChainId: number; blindingKey: Hex; withdrawalBlindingKey: Hex },
  progress: (line: string) => void,
): Promise<{ lastBlock: number; batchHash: Hex }> {
  // Sent one after another through the deployer's queue (nonces 0 to 6, in this order) without waiting
  // for each other's receipts: no constructor calls another contract, so each estimate holds whatever
  // was mined before it, and a node that mines every second takes one or two blocks, not seven.
  const deployed = await Promise.all([
    chain.deploy(key, { abi: c.l2MessengerAbi, bytecode: c.l2MessengerBytecode, action: 'deploy L2Messenger' }),
    // Also the chain's InteropRootStore (the operator imports roots into it).
    chain.deploy(key, {
      abi: c.interopHandlerAbi,
      bytecode: c.interopHandlerBytecode,
      args: [expected.interopCenter, operator, network.messageRoot, BigInt(network.gatewayChainId), expected.baseTokenHolder],
      action: 'deploy InteropHandler',
    }),
    chain.deploy(key, { abi: c.interopCenterAbi, bytecode: c.interopCenterBytecode, args: [expected.l2Messenger, expected.interopHandler, expected.l2AssetRouter, network.blindingKey], action: 'deploy InteropCenter' }),
    chain.deploy(key, { abi: c.standardRecipientAbi, bytecode: c.standardRecipientBytecode, args: [expected.interopCenter], action: 'deploy example recipient' }),
    chain.deploy(key, { abi: c.l2PriorityInboxAbi, bytecode: c.l2PriorityInboxBytecode, args: [operator, expected.l2Messenger], action: 'deploy L2PriorityInbox' }),
    chain.deploy(key, {
      abi: c.l2AssetRouterAbi,
      bytecode: c.l2AssetRouterBytecode,
      args: [expected.priorityInbox, expected.l2Messenger, expected.interopCenter, expected.baseTokenHolder, network.ethAsset, BigInt(network.l1ChainId), network.withdrawalBlindingKey],
      action: 'deploy L2AssetRouter',
    }),
    // Deployed where the genesis allocated the chain's ETH supply: it records that balance as its initialBalance.
    chain.deploy(key, { abi: c.baseTokenHolderAbi, bytecode: c.baseTokenHolderBytecode, args: [expected.l2AssetRouter, expected.interopHandler], action: 'deploy BaseTokenHolder' }),
  ])
  const wanted = [expected.l2Messenger, expected.interopHandler, expected.interopCenter, expected.exampleRecipient, expected.priorityInbox, expected.l2AssetRouter, expected.baseTokenHolder]
  deployed.forEach((d, i) => {
    if (d.address.toLowerCase() !== wanted[i]!.toLowerCase()) throw new Error(`L2 contract ${i} landed at ${d.address} on ${chain.name}, expected ${wanted[i]}`)
  })
  const lastBlock = deployed.reduce((max, d) => (d.receipt.blockNumber > max ? d.receipt.blockNumber : max), 0n)
  const block = await chain.client.getBlock({ blockNumber: lastBlock })
  const genesis = emptyBatchCommitment({ batchNumber: 0n, previousBatchHash: zeroHash, lastBlock: block.number, stateRoot: block.stateRoot, timestamp: block.timestamp })
  progress(`deployed L2 contracts on ${chain.name}`)
  return { lastBlock: Number(block.number), batchHash: batchHash(genesis) }
}
