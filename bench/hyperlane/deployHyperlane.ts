// Deploys Hyperlane's contracts (from @hyperlane-xyz/core) on two of the bench's anvil chains with
// viem: on each, a Mailbox (initialized directly, no proxy), Hyperlane's MerkleTreeHook as the
// default hook, a no-op required hook, and two ISMs: TrustedRelayerIsm and a 1-of-1
// StaticMessageIdMultisigIsm. Two BenchRecipients on the destination, one per ISM.
import { createPublicClient, http, zeroAddress, type Address, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { benchRecipientAbi, compileBenchContracts } from '../lib/benchContracts.js'
import { hyperlaneArtifact } from './artifacts.js'

export type HyperlaneChain = { chainId: number; rpcUrl: string; mailbox: Address; merkleTreeHook: Address; trustedRelayerIsm: Address; multisigIsm: Address }

export type HyperlaneDeployment = {
  origin: HyperlaneChain
  destination: HyperlaneChain
  /** BenchRecipient on the destination whose ISM is the TrustedRelayerIsm (the Mailbox's default). */
  trustedRecipient: Address
  /** BenchRecipient on the destination whose ISM is the 1-of-1 MessageIdMultisigIsm. */
  multisigRecipient: Address
}

const MAILBOX = 'contracts/Mailbox'
const MERKLE_TREE_HOOK = 'contracts/hooks/MerkleTreeHook'
const TRUSTED_RELAYER_ISM = 'contracts/isms/TrustedRelayerIsm'
const MULTISIG_FACTORY = 'contracts/isms/multisig/StaticMultisigIsm.sol/StaticMessageIdMultisigIsmFactory'

/** Deploys on both chains; `relayer` and `validator` are the addresses the ISMs trust. */
export async function deployHyperlane(parameters: {
  chains: [{ chainId: number; rpcUrl: string; name: string }, { chainId: number; rpcUrl: string; name: string }]
  deployerKey: Hex
  relayer: Address
  validator: Address
}): Promise<HyperlaneDeployment> {
  const bench = compileBenchContracts()
  const owner = privateKeyToAccount(parameters.deployerKey).address
  const deployed = await Promise.all(
    parameters.chains.map(async (info) => {
      const chain = new ChainConnection(info)
      const key = parameters.deployerKey
      const deploy = async (path: string, args: readonly unknown[]) => {
        const artifact = hyperlaneArtifact(path)
        return (await chain.deploy(key, { abi: artifact.abi, bytecode: artifact.bytecode, args, action: `deploy ${path}` })).address
      }
      const mailbox = await deploy(MAILBOX, [info.chainId])
      const merkleTreeHook = await deploy(MERKLE_TREE_HOOK, [mailbox])
      const { address: noopHook } = await chain.deploy(key, { abi: [], bytecode: bench.noopPostDispatchHook, action: 'deploy NoopPostDispatchHook' })
      const trustedRelayerIsm = await deploy(TRUSTED_RELAYER_ISM, [mailbox, parameters.relayer])
      const factory = await deploy(MULTISIG_FACTORY, [])
      const factoryAbi = hyperlaneArtifact(MULTISIG_FACTORY).abi
      await chain.write(key, { address: factory, abi: factoryAbi, functionName: 'deploy', args: [[parameters.validator], 1], action: 'deploy 1-of-1 MessageIdMultisigIsm' })
      const client = createPublicClient({ transport: http(info.rpcUrl) }) as PublicClient
      const multisigIsm = (await client.readContract({ address: factory, abi: factoryAbi, functionName: 'getAddress', args: [[parameters.validator], 1] })) as Address
      await chain.write(key, { address: mailbox, abi: hyperlaneArtifact(MAILBOX).abi, functionName: 'initialize', args: [owner, trustedRelayerIsm, merkleTreeHook, noopHook], action: 'initialize Mailbox' })
      return { chain, hyperlane: { chainId: info.chainId, rpcUrl: info.rpcUrl, mailbox, merkleTreeHook, trustedRelayerIsm, multisigIsm } }
    }),
  )
  const [origin, destination] = deployed as [typeof deployed[0], typeof deployed[0]]
  const recipient = async (ism: Address) =>
    (await destination.chain.deploy(parameters.deployerKey, { abi: benchRecipientAbi, bytecode: bench.benchRecipient, args: [destination.hyperlane.mailbox, ism], action: 'deploy BenchRecipient' })).address
  return { origin: origin.hyperlane, destination: destination.hyperlane, trustedRecipient: await recipient(zeroAddress), multisigRecipient: await recipient(destination.hyperlane.multisigIsm) }
}
