export { junctionActions } from './junctionActions.js'
export { JunctionIndex } from './JunctionIndex.js'
export { loadManifest, findChain, findDestination, ManifestNotFoundError, ChainNotFoundError } from './loadManifest.js'
export { sendMessage, type SendMessageParameters, type SendMessageReturnType } from './actions/sendMessage.js'
export { getMessageStatus, MESSAGE_STATUSES, type MessageStatus, type GetMessageStatusParameters, type GetMessageStatusReturnType } from './actions/getMessageStatus.js'
export { waitForMessage, MessageTimeoutError, type WaitForMessageParameters } from './actions/waitForMessage.js'
export { waitForDeposit, DepositTimeoutError, type WaitForDepositParameters } from './actions/waitForDeposit.js'
export { getMessageProof, ProofNotReadyError, type GetMessageProofParameters, type GetMessageProofReturnType } from './actions/getMessageProof.js'
export { executeBundle, executeMessage, type ExecuteBundleParameters, type ExecuteBundleReturnType, type ExecuteMessageParameters, type ExecuteMessageReturnType } from './actions/executeBundle.js'
export { sendBundle, type SendBundleParameters, type SendBundleReturnType, type BundleCallStarter } from './actions/sendBundle.js'
export { estimateInteropFee, type EstimateInteropFeeParameters, type EstimateInteropFeeReturnType } from './actions/estimateInteropFee.js'
export { topUpFee, type TopUpFeeParameters, type TopUpFeeReturnType } from './actions/topUpFee.js'
export { claimInteropFee, type ClaimInteropFeeParameters, type ClaimInteropFeeReturnType } from './actions/claimInteropFee.js'
export { FeeClaimNotReadyError, GasPriceUnknownError, RecipientGasUnknownError } from '../errors/fees.js'
export { getBundleStatus, BUNDLE_STATUS_NAMES, CALL_STATUS_NAMES, type GetBundleStatusParameters, type GetBundleStatusReturnType } from './actions/getBundleStatus.js'
export { unbundle, type UnbundleParameters, type UnbundleReturnType, type CallDecisionName } from './actions/unbundle.js'
export { getAliasAddress, type GetAliasAddressParameters } from './actions/getAliasAddress.js'
export { deposit, type DepositParameters, type DepositReturnType } from './actions/deposit.js'
export { withdraw, type WithdrawParameters, type WithdrawReturnType } from './actions/withdraw.js'
export { depositETH, type DepositETHParameters, type DepositETHReturnType } from './actions/depositETH.js'
export { requestL2Call, type RequestL2CallParameters, type RequestL2CallReturnType } from './actions/requestL2Call.js'
export { withdrawETH, type WithdrawETHParameters, type WithdrawETHReturnType } from './actions/withdrawETH.js'
export {
  claimFailedDeposit,
  DepositorSignatureRequiredError,
  type ClaimFailedDepositParameters,
  type ClaimFailedDepositReturnType,
} from './actions/claimFailedDeposit.js'
export { signFailedDepositClaim, type SignFailedDepositClaimParameters, type SignFailedDepositClaimReturnType } from './actions/signFailedDepositClaim.js'
export { findFailedDeposit, DepositNotFailedError, DepositNotFoundError, DepositNotProcessedError, type FailedDeposit } from './findFailedDeposit.js'
export { finalizeWithdrawal, type FinalizeWithdrawalParameters, type FinalizeWithdrawalReturnType } from './actions/finalizeWithdrawal.js'
export { transfer, type TransferParameters } from './actions/transfer.js'
export { getBalances, type GetBalancesParameters, type GetBalancesReturnType, type ChainAssetBalance, type SettlementLayerAssetBalance } from './actions/getBalances.js'
export { auditLedger, type AuditLedgerReturnType, type ForgedBundle, type RefusedTransfer, type ForgedWithdrawal } from './actions/auditLedger.js'
export { getDisclosureProof, type GetDisclosureProofParameters, type GetDisclosureProofReturnType, type DisclosureSettlementLayer } from './actions/getDisclosureProof.js'
export { verifyDisclosureProof, type VerifyDisclosureProofParameters, type VerifyDisclosureProofReturnType } from './actions/verifyDisclosureProof.js'
export { disclosureSettlementLayer } from './disclosureSettlementLayer.js'
export { DisclosureProofInvalidError, DisclosureStateUnavailableError, DisclosureRevealsNeighbourError, DisclosureChainNotSettledError, DisclosureTokenAbsentError, type DisclosureStep } from '../errors/disclosure.js'
export {
  BALANCE_DISCLOSURE_FORMAT,
  JUNCTION_TOKEN_BALANCES_SLOT,
  asBalanceDisclosure,
  balanceDisclosureToJson,
  balanceSlot,
  checkBalanceDisclosure,
  parseBalanceDisclosure,
  type BalanceDisclosure,
  type BalanceDisclosureJson,
} from '../protocol/disclosure.js'
export { sendIsoPayment, type SendIsoPaymentParameters, type SendIsoPaymentReturnType, type PrivatePaymentDelivery } from './actions/sendIsoPayment.js'
export { getIsoPayment, type GetIsoPaymentParameters, type GetIsoPaymentReturnType, type IsoPaymentRecord } from './actions/getIsoPayment.js'
export { getPaymentStatusReport, type GetPaymentStatusReportParameters, type GetPaymentStatusReportReturnType } from './actions/getPaymentStatusReport.js'
export { verifyIsoPayment, type VerifyIsoPaymentParameters, type VerifyIsoPaymentReturnType } from './actions/verifyIsoPayment.js'
export { PaymentMessageRefusedError, DuplicateUetrError, PaymentDeliveryMismatchError, PaymentStatusTimeoutError, PaymentRejectedError, type PaymentRefusal } from '../errors/payments.js'
export { parsePacs008, type Pacs008Message } from '../payments/parsePacs008.js'
export { buildPacs002 } from '../payments/buildPacs002.js'
export { parsePacs002 } from '../payments/parsePacs002.js'
export { statusReportFor, reasonCodeForRefusal, PAYMENT_REASON_CODES, type PaymentStatusReport, type PaymentReasonCode, type PaymentTransactionStatus } from '../payments/paymentStatus.js'
export { checkPayment, type PaymentInstruction } from '../payments/checkPayment.js'
export { amountToUnits, unitsToAmount } from '../payments/amounts.js'
export type { BankDirectory, DirectoryBank } from '../payments/bankDirectory.js'
export type { NetworkManifest } from '../network/types.js'
export { prepareSwapDemo, runSwapDemo, readPool, bridgedBalance, encodeSwapRequest, type SwapDemoSetup, type SwapDemoResult, type SwapDemoStep, type PrepareSwapDemoParameters, type RunSwapDemoParameters } from '../demo/swapDemo.js'
export { preparePaymentDemo, runPaymentDemo, readPaymentBalances, type PaymentDemoSetup, type PaymentDemoResult, type PaymentDemoStep } from '../demo/paymentDemo.js'
export { prepareLendingDemo, runLendingDemo, runLendingRepay, bridgedStablecoin, type LendingDemoSetup, type LendingDemoResult, type LendingDemoStep, type LendingRepayResult } from '../demo/lendingDemo.js'
export { createFlow, type CreateFlowParameters, type CreateFlowReturnType } from './actions/createFlow.js'
export { lockLeg, type LockLegParameters, type LockLegReturnType } from './actions/lockLeg.js'
export { getFlowStatus, type GetFlowStatusParameters, type GetFlowStatusReturnType } from './actions/getFlowStatus.js'
export { releaseLeg, type ReleaseLegParameters, type ReleaseLegReturnType } from './actions/releaseLeg.js'
export { refundLeg, type RefundLegParameters, type RefundLegReturnType } from './actions/refundLeg.js'
export { FlowDecisionNotFoundError, InvalidFlowMessageError, InvalidFlowTermsError } from '../errors/flows.js'
export { FlowMessageKind, FlowStatus, LegState, flowId, type FlowLeg, type FlowTerms } from '../protocol/flow.js'
export { proposeInstruction, type ProposeInstructionParameters, type ProposeInstructionReturnType } from './actions/proposeInstruction.js'
export { approveInstruction, type ApproveInstructionParameters, type ApproveInstructionReturnType } from './actions/approveInstruction.js'
export { cancelInstruction, type CancelInstructionParameters, type CancelInstructionReturnType } from './actions/cancelInstruction.js'
export { getInstructionStatus, type GetInstructionStatusParameters, type GetInstructionStatusReturnType, type InstructionCopyStatus } from './actions/getInstructionStatus.js'
export { ConflictingInstructionUpdateError, InvalidInstructionError, InvalidInstructionMessageError } from '../errors/instructions.js'
export { InstructionMessageKind, InstructionStatus, instructionId, type Instruction, type InstructionMember } from '../protocol/instruction.js'
