import { formatEther, type Address } from 'viem'
import { JunctionError } from './JunctionError.js'

/** What {@link ZkChainGenesisError} found wrong on the chain. */
export type ZkChainGenesisProblem =
  /** The BaseTokenHolder's address holds `balance`, not the `expected` genesis allocation. */
  | { kind: 'holder-not-allocated'; holder: Address; balance: bigint; expected: bigint }
  /** `account` holds `balance` ETH before anything was bridged in (the node funds dev accounts). */
  | { kind: 'account-funded'; account: Address; balance: bigint }

/**
 * A ZK chain's node was not started as a ZK chain must be (docs/protocol.md §9.7): its genesis does not
 * allocate the chain's ETH to the BaseTokenHolder, or an account holds ETH that never came over the bridge.
 */
export class ZkChainGenesisError extends JunctionError {
  override name = 'ZkChainGenesisError'
  readonly problem: ZkChainGenesisProblem
  constructor(parameters: { chainName: string; problem: ZkChainGenesisProblem; flags: readonly string[] }) {
    const { problem } = parameters
    const what =
      problem.kind === 'holder-not-allocated'
        ? `the BaseTokenHolder's address ${problem.holder} holds ${formatEther(problem.balance)} ETH, its genesis allocation is ${formatEther(problem.expected)} ETH`
        : `${problem.account} holds ${formatEther(problem.balance)} ETH that never came over the bridge`
    super(`${parameters.chainName} was not started with a ZK chain's genesis: ${what}`, {
      details: [
        "On a ZK chain every wei outside the BaseTokenHolder came over the bridge: the genesis allocates the chain's whole ETH supply to the holder's address and funds no account.",
        `Write the genesis with \`junction genesis --chain-id <its chain id> --out FILE\` (or zkChainGenesis(), src/chain/zkChainNode.ts; \`junction up\` writes it to <data dir>/genesis/${parameters.chainName}.json) and start the node fresh with: anvil ${parameters.flags.join(' ')}`,
      ].join('\n'),
    })
    this.problem = problem
  }
}
