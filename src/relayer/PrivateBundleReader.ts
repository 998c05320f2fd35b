import { createPublicClient, keccak256, parseEventLogs, type Address, type Hex, type PublicClient, type Transport } from 'viem'
import * as c from '../contracts/generated/index.js'
import { JunctionError } from '../errors/JunctionError.js'
import { sentBundlesOf } from '../indexer/sentBundles.js'

/** Parameters of {@link PrivateBundleReader}. */
export type PrivateBundleReaderParameters = {
  /**
   * Each private chain's permissioned RPC, by chain id: a transport signed in with the relayer's wallet,
   * which the chains' configs give the `relayer` role (`prividiumTransport`, `defaultPrividiumConfig`).
   */
  chains: ReadonlyMap<number, Transport>
  /** The InteropCenter (the same address on every chain). */
  interopCenter: Address
}

/** What a private chain's permissioned RPC showed the relayer of a bundle. */
export type PrivateBundle = { bundle: Hex; blinding: Hex }

/** A private chain's permissioned RPC did not show the relayer a bundle it sent, or showed one that does not hash to it. */
export class PrivateBundleUnavailableError extends JunctionError {
  override name = 'PrivateBundleUnavailableError'
  constructor(chainId: number, bundleHash: Hex, why: string, cause?: unknown) {
    super(`the permissioned RPC of chain ${chainId} did not give bundle ${bundleHash}: ${why}`, {
      details: "The relayer reads a private chain's bundles and their blindings through the chain's permissioned RPC, signed in with a wallet of the `relayer` role, which needs the event rules of the InteropCenter's BundleSent, MessageBundleSent, MessageSent and BundleBlinded (docs/prividium.md, \"Private interop\").",
      cause,
    })
  }
}

/**
 * The relayer's authenticated channel to private chains (docs/prividium.md, "Private interop"): it reads a
 * bundle a private chain sent, and its blinding, through the chain's permissioned RPC, signed in (SIWE)
 * with the relayer's wallet, which the chain's config gives the `relayer` role (the InteropCenter's
 * `BundleSent`, `MessageBundleSent`, `MessageSent` and `BundleBlinded` logs are all it may read; a message's
 * bundle is rebuilt from its `MessageBundleSent` and `MessageSent`, `sentBundlesOf`). The transport signs in and
 * signs in again when the session expired (`prividiumTransport`); the reader checks that the bundle
 * hashes to the hash asked for.
 *
 * @example
 * ```ts
 * const reader = new PrivateBundleReader({ chains: new Map([[4201, prividiumTransport({ apiBaseUrl, account })]]), interopCenter })
 * const { bundle, blinding } = await reader.read(4201, bundleHash, 1234)
 * ```
 */
export class PrivateBundleReader {
  readonly #p: PrivateBundleReaderParameters
  readonly #clients = new Map<number, PublicClient>()

  constructor(parameters: PrivateBundleReaderParameters) {
    this.#p = parameters
  }

  /** Whether `chainId` is a private chain this reader reads through its permissioned RPC. */
  reads(chainId: number): boolean {
    return this.#p.chains.has(chainId)
  }

  /** The bundle `bundleHash` that private chain `chainId` sent in block `blockNumber`, and its blinding. */
  async read(chainId: number, bundleHash: Hex, blockNumber: number): Promise<PrivateBundle> {
    const logs = await this.#getLogs(chainId, blockNumber)
    let sent
    try {
      sent = sentBundlesOf(logs, this.#p.interopCenter).find((bundle) => bundle.bundleHash === bundleHash)
    } catch (error) {
      throw new PrivateBundleUnavailableError(chainId, bundleHash, `the sent bundles of block ${blockNumber} cannot be read`, error)
    }
    const blinded = parseEventLogs({ abi: c.interopCenterAbi, eventName: 'BundleBlinded', logs }).find((log) => log.args.bundleHash === bundleHash)
    if (!sent || !blinded) throw new PrivateBundleUnavailableError(chainId, bundleHash, `no ${sent ? 'BundleBlinded' : 'BundleSent or MessageBundleSent'} log in block ${blockNumber}`)
    if (keccak256(sent.bundle) !== bundleHash) throw new PrivateBundleUnavailableError(chainId, bundleHash, 'the bundle shown does not hash to it')
    return { bundle: sent.bundle, blinding: blinded.args.blinding }
  }

  async #getLogs(chainId: number, blockNumber: number) {
    return this.#client(chainId).getLogs({ address: this.#p.interopCenter, fromBlock: BigInt(blockNumber), toBlock: BigInt(blockNumber) })
  }

  #client(chainId: number): PublicClient {
    const known = this.#clients.get(chainId)
    if (known) return known
    const transport = this.#p.chains.get(chainId)
    if (!transport) throw new RangeError(`chain ${chainId} is not a private chain the reader knows`)
    const client = createPublicClient({ transport }) as PublicClient
    this.#clients.set(chainId, client)
    return client
  }
}
