import type { Address, Hex } from 'viem'
import type { DevAccount } from '../chain/devAccounts.js'

/** Addresses of Junction's contracts on every ZK chain (the same on each). */
export type L2Contracts = {
  /** The imported settlement-layer roots: the InteropHandler itself (it inherits InteropRootStore), same address. */
  interopRootStore: Address
  l2Messenger: Address
  interopHandler: Address
  interopCenter: Address
  /** A plain ERC-7786 recipient (contracts/test/StandardRecipient.sol) for trying messages out. */
  exampleRecipient: Address
  /** Processes the priority requests (deposits) queued on L1, in order (contracts/l2/L2PriorityInbox.sol). */
  priorityInbox: Address
  /** The chain side of the shared bridge: mints deposits, burns withdrawals (contracts/l2/L2AssetRouter.sol). */
  l2AssetRouter: Address
  /** Holds the chain's ETH not bridged in yet: releases deposits and call values, takes burns (contracts/l2/BaseTokenHolder.sol). */
  baseTokenHolder: Address
}

/** Addresses of Junction's contracts on a settlement layer. */
export type SettlementLayerContracts = {
  messageRoot: Address
  chainRegistry: Address
  verifier: Address
  /** Holds deposited L1 tokens and each chain's balance of them (contracts/l1/bridge/L1NativeTokenVault.sol). */
  nativeTokenVault: Address
  /** Deposits into chains and finalizes withdrawals (contracts/l1/bridge/L1AssetRouter.sol). */
  assetRouter: Address
  /** Executes bundles sent to L1 from the alias accounts of their senders (contracts/l1/interop/L1InteropHandler.sol). */
  interopHandler: Address
}

/** Addresses of the settlement-layer contracts a Gateway hosts (on the Gateway chain). */
export type GatewayContracts = {
  /** At the same address as L1's MessageRoot; it also records each shared root as a Gateway message. */
  messageRoot: Address
  chainRegistry: Address
  verifier: Address
  /** Passes L1 priority requests (deposits) on to the chains settling on the Gateway. */
  priorityForwarder: Address
  /** Each chain's balance of each bridged token here; approves a chain's batch before it executes (docs/protocol.md §9.10). */
  assetTracker: Address
}

/** One ZK chain of the network. */
export type ZkChainInfo = {
  name: string
  chainId: number
  rpcUrl: string
  /**
   * Chain id of the settlement layer the chain settled on at deployment. A chain may move between L1
   * and the Gateway later (docs/protocol.md §11): where it settles now is L1's
   * `ChainRegistry.settlementLayerOf`, and the services read it from the store (`topologyOf`).
   */
  settlementLayer: number
  /** The chain's settlement contract on the settlement layer it settled on at deployment. */
  settlement: Address
  /**
   * The chain's settlement contract on every settlement layer of the network (exactly one of them is
   * active at a time); the Gateway has only its own, on L1.
   */
  settlements: { slChainId: number; address: Address }[]
  /** The chain's operator: submits its batches and imports interop roots into it. */
  operator: DevAccount
  /** Batch 0: the blocks up to and including the deployment of Junction's L2 contracts. */
  genesis: { lastBlock: number; batchHash: Hex }
  /** `'gateway'` for the Gateway: a ZK chain settling on L1 that is itself a settlement layer. */
  role?: 'gateway'
  /** The Gateway's settlement-layer contracts (only on the Gateway). */
  gatewayContracts?: GatewayContracts
  /**
   * A private chain (docs/prividium.md): its `rpcUrl` is `<apiBaseUrl>/rpc`, the permissioned RPC, and its
   * raw node's URL is only in the manifest's `services` part. Users and tools other than Junction's own
   * services reach it only through that RPC; the explorer shows nothing of it until a visitor signs in there.
   */
  private?: true
  /** Origin of a private chain's permissioned RPC (`http://127.0.0.1:PORT`): the `prividium` SDK's `prividiumApiBaseUrl`. */
  apiBaseUrl?: string
}

/** The L1 of the network. */
export type L1Info = {
  name: string
  chainId: number
  rpcUrl: string
  contracts: SettlementLayerContracts
}

/** Everything a service, the SDK or a user needs to reach the network (`.junction/network.json`). */
export type NetworkManifest = {
  version: 1
  createdAt: string
  /**
   * The version of Junction's contracts and encodings the network was deployed with (`CONTRACTS_VERSION`,
   * src/network/contractsVersion.ts): a saved network resumes only under the same one. Absent: deployed
   * before this stamp existed.
   */
  contractsVersion?: number
  /**
   * `'external'` when Junction did not start the chains' nodes (`junction deploy`, or `junction up --l1 URL
   * --chain …`; docs/own-nodes.md): it never starts, stops, checkpoints or restores them, runs no
   * anvil-only method against them, and `junction up` on the data dir runs only the services against
   * them. Absent: `junction up` started the nodes as anvil processes and manages them.
   */
  nodes?: 'external'
  l1: L1Info
  chains: ZkChainInfo[]
  l2Contracts: L2Contracts
  accounts: {
    l1Deployer: DevAccount
    l2Deployer: DevAccount
    relayer: DevAccount
    users: DevAccount[]
  }
  /**
   * For Junction's own services only (never for users): the raw node of each private chain, by chain name.
   * `nodeManifest(manifest)` gives the manifest with those URLs as the chains' `rpcUrl`.
   */
  services?: {
    privateNodes: Record<string, { rpcUrl: string }>
  }
}
