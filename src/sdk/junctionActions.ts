import type { Account, Chain, Transport, WalletClient } from 'viem'
import type { NetworkManifest } from '../network/types.js'
import { executeBundle, type ExecuteBundleParameters } from './actions/executeBundle.js'
import { getBundleStatus, type GetBundleStatusParameters } from './actions/getBundleStatus.js'
import { getDisclosureProof, type GetDisclosureProofParameters } from './actions/getDisclosureProof.js'
import { verifyDisclosureProof, type VerifyDisclosureProofParameters } from './actions/verifyDisclosureProof.js'
import { disclosureSettlementLayer } from './disclosureSettlementLayer.js'
import { asBalanceDisclosure } from '../protocol/disclosure.js'
import { sendBundle, type SendBundleParameters } from './actions/sendBundle.js'
import { getIsoPayment, type GetIsoPaymentParameters } from './actions/getIsoPayment.js'
import { getIsoPaymentMessage, type GetIsoPaymentMessageParameters } from './actions/getIsoPaymentMessage.js'
import { getPaymentStatusReport, type GetPaymentStatusReportParameters } from './actions/getPaymentStatusReport.js'
import { sendIsoPayment, type SendIsoPaymentParameters } from './actions/sendIsoPayment.js'
import { verifyIsoPayment, type VerifyIsoPaymentParameters } from './actions/verifyIsoPayment.js'
import { unbundle, type UnbundleParameters } from './actions/unbundle.js'
import { getMessageProof, type GetMessageProofParameters } from './actions/getMessageProof.js'
import { getMessageStatus, type GetMessageStatusParameters } from './actions/getMessageStatus.js'
import { sendMessage, type SendMessageParameters } from './actions/sendMessage.js'
import { waitForMessage, type WaitForMessageParameters } from './actions/waitForMessage.js'
import { claimInteropFee, type ClaimInteropFeeParameters } from './actions/claimInteropFee.js'
import { estimateInteropFee, type EstimateInteropFeeParameters } from './actions/estimateInteropFee.js'
import { topUpFee, type TopUpFeeParameters } from './actions/topUpFee.js'
import { JunctionIndex } from './JunctionIndex.js'

/**
 * Binds Junction's actions to a viem wallet client, as `client.extend(publicActions)` does in viem.
 * One {@link JunctionIndex} (in memory) is shared by the bound actions.
 *
 * @example
 * ```ts
 * const alpha = createWalletClient({ account, chain, transport: http(url) }).extend(junctionActions({ manifest }))
 * const { bundleHash } = await alpha.sendMessage({ recipient: { chainId: 272, address }, payload: '0x01' })
 * await alpha.waitForMessage({ bundleHash })
 * ```
 */
export function junctionActions(options: { manifest: NetworkManifest; index?: JunctionIndex }) {
  const index = options.index ?? new JunctionIndex(options.manifest)
  return <chain extends Chain | undefined, account extends Account | undefined>(client: WalletClient<Transport, chain, account>) => ({
    junctionIndex: index,
    sendMessage: (parameters: Omit<SendMessageParameters, 'interopCenter'> & { interopCenter?: SendMessageParameters['interopCenter'] }) =>
      sendMessage(client, { interopCenter: options.manifest.l2Contracts.interopCenter, manifest: options.manifest, ...parameters }),
    getMessageStatus: (parameters: GetMessageStatusParameters) => getMessageStatus(index, parameters),
    waitForMessage: (parameters: WaitForMessageParameters) => waitForMessage(index, parameters),
    getMessageProof: (parameters: GetMessageProofParameters) => getMessageProof(index, parameters),
    executeMessage: (parameters: ExecuteBundleParameters) => executeBundle(client, index, parameters),
    sendBundle: (parameters: Omit<SendBundleParameters, 'interopCenter'> & { interopCenter?: SendBundleParameters['interopCenter'] }) =>
      sendBundle(client, { interopCenter: options.manifest.l2Contracts.interopCenter, manifest: options.manifest, ...parameters }),
    getBundleStatus: (parameters: GetBundleStatusParameters) => getBundleStatus(index, parameters),
    /** Quotes the fee of a message or bundle sent from the client's chain (docs/fees.md). */
    estimateInteropFee: (parameters: Omit<EstimateInteropFeeParameters, 'sourceChainId'> & { sourceChainId?: number }) =>
      estimateInteropFee(index, { sourceChainId: client.chain!.id, sender: client.account?.address, ...parameters }),
    topUpFee: (parameters: Omit<TopUpFeeParameters, 'interopCenter'>) => topUpFee(client, { interopCenter: options.manifest.l2Contracts.interopCenter, ...parameters }),
    claimInteropFee: (parameters: ClaimInteropFeeParameters) => claimInteropFee(client, index, parameters),
    executeBundle: (parameters: ExecuteBundleParameters) => executeBundle(client, index, parameters),
    unbundle: (parameters: UnbundleParameters) => unbundle(client, index, parameters),
    getDisclosureProof: (parameters: GetDisclosureProofParameters) => getDisclosureProof(client, { manifest: options.manifest, ...parameters }),
    /** Verifies against the manifest's settlement layer (and its ChainRegistry) where the disclosure's batch settled. */
    verifyDisclosureProof: (parameters: Omit<VerifyDisclosureProofParameters, 'chainRegistry'> & { chainRegistry?: VerifyDisclosureProofParameters['chainRegistry'] }) => {
      const disclosure = asBalanceDisclosure(parameters.disclosure)
      const layer = disclosureSettlementLayer(options.manifest, disclosure.settlementLayer.chainId, disclosure.chainId)
      return verifyDisclosureProof(layer.client, { chainRegistry: layer.chainRegistry, ...parameters, disclosure })
    },
    /** Pays a pacs.008 from the debtor bank (the client signs as its operator, on its chain). */
    sendIsoPayment: (parameters: Omit<SendIsoPaymentParameters, 'manifest'>) => sendIsoPayment(client, { manifest: options.manifest, ...parameters }),
    getIsoPayment: (parameters: GetIsoPaymentParameters) => getIsoPayment(client, parameters),
    getIsoPaymentMessage: (parameters: GetIsoPaymentMessageParameters) => getIsoPaymentMessage(client, parameters),
    getPaymentStatusReport: (parameters: Omit<GetPaymentStatusReportParameters, 'manifest'>) => getPaymentStatusReport(client, { manifest: options.manifest, ...parameters }),
    /** The creditor bank's check of a message handed to it (the client reads the creditor bank's chain). */
    verifyIsoPayment: (parameters: Omit<VerifyIsoPaymentParameters, 'manifest'>) => verifyIsoPayment(client, { manifest: options.manifest, ...parameters }),
  })
}

