import { numberToHex, type Address, type Hex } from 'viem'

/**
 * The ETH supply of every ZK chain (100,000,000 ETH), allocated in its genesis to the BaseTokenHolder:
 * more than all of L1's dev accounts hold together, so any deposit can be released.
 */
export const ZK_CHAIN_ETH_SUPPLY = 100_000_000n * 10n ** 18n

/** The gas limit of a ZK chain's blocks (anvil's default, written into the genesis for other nodes). */
export const ZK_CHAIN_BLOCK_GAS_LIMIT = 30_000_000n

/**
 * The block gas limit of the ZK chains (and the Gateway) whose blocks Junction produces (`--gas-limit`):
 * 1,000,000,000, so that what waits in a chain's pool fits in its next block (about 19,000 messages). A
 * full block is where anvil 1.7 drops transactions: when a sender's transaction does not fit in the block
 * and its next one (a smaller gas limit) does, anvil tries the next one, finds its nonce too high and
 * removes it from the pool for good (docs/benchmarks.md, "A trap of full blocks"). The block producer
 * mines as soon as transactions wait, so under load a block holds what arrived during the previous one:
 * with 30M-gas blocks 600 messages filled one, and the relayer's chunks of bundles were dropped so.
 */
export const PRODUCED_BLOCK_GAS_LIMIT = 1_000_000_000n

/** Parameters of {@link zkChainGenesis}. */
export type ZkChainGenesisParameters = {
  chainId: number
  /** The BaseTokenHolder's address (`predictL2Contracts(l2Deployer).baseTokenHolder`): the whole supply goes there. */
  baseTokenHolder: Address
  /** Who receives the tips users' own clients may pay (the block's coinbase): the chain's operator. */
  feeRecipient: Address
  /** Unix time of the genesis block, in seconds. Default: now. */
  timestamp?: number
}

/** A ZK chain's `genesis.json` (the format of geth and anvil `--init`). */
export type ZkChainGenesis = {
  config: { chainId: number }
  timestamp: Hex
  gasLimit: Hex
  baseFeePerGas: Hex
  difficulty: Hex
  coinbase: Address
  alloc: Record<Address, { balance: Hex }>
}

/**
 * The genesis of a ZK chain: its whole ETH supply ({@link ZK_CHAIN_ETH_SUPPLY}) allocated to the
 * BaseTokenHolder's address, and nothing to anyone else, so every wei outside the holder came over the
 * bridge (docs/protocol.md §9.7). The holder is deployed there later by the L2 deployer (nonce 7) and
 * records that balance as its `initialBalance`. Start the chain's node with it and with
 * {@link zkChainNodeFlags}.
 *
 * @example
 * ```ts
 * const { baseTokenHolder } = predictL2Contracts(devAccount(DEV_ROLES.l2Deployer).address)
 * writeFileSync('gamma.json', JSON.stringify(zkChainGenesis({ chainId: 273, baseTokenHolder, feeRecipient: operator })))
 * ```
 */
export function zkChainGenesis(parameters: ZkChainGenesisParameters): ZkChainGenesis {
  return {
    config: { chainId: parameters.chainId },
    timestamp: numberToHex(parameters.timestamp ?? Math.floor(Date.now() / 1000)),
    gasLimit: numberToHex(ZK_CHAIN_BLOCK_GAS_LIMIT),
    baseFeePerGas: '0x0',
    difficulty: '0x0',
    coinbase: parameters.feeRecipient,
    alloc: { [parameters.baseTokenHolder]: { balance: numberToHex(ZK_CHAIN_ETH_SUPPLY) } },
  }
}

/**
 * What a ZK chain's node must be started with, as anvil flags: the genesis of {@link zkChainGenesis}
 * (`--init`), no ETH for the dev accounts (`--balance 0`: the dev users get theirs by deposits from L1),
 * and no charge for gas (`--base-fee 0`: anvil keeps a base fee of 0 at 0, so accounts with no ETH, the
 * operators, the relayer and the deployers, can send with zero fees; Junction's clients do, see
 * `defineJunctionChain`). Any other node works the same way if its genesis is this one, it funds no
 * account, and its base fee stays 0 (otherwise every sender pays gas out of bridged ETH).
 *
 * anvil refuses `--init` together with `--load-state`/`--state`: a node restored from a state dump
 * already holds the allocation, so leave `genesisFile` out there.
 *
 * @example
 * ```ts
 * createAnvil({ chainId: 273, port: 8548, extraArgs: zkChainNodeFlags({ genesisFile: '.junction/genesis/gamma.json' }) })
 * ```
 */
export function zkChainNodeFlags(parameters: { genesisFile?: string | undefined }): string[] {
  return [...(parameters.genesisFile === undefined ? [] : ['--init', parameters.genesisFile]), '--balance', '0', '--base-fee', '0']
}
