// Public API of Junction's protocol mirror: the encodings of docs/protocol.md, pure
// (no I/O), shared by the SDK, the services and the tests.

export {
  CallIndexOutOfRangeError,
  EmptyLeafError,
  InconsistentProofInputError,
  IntegerOutOfRangeError,
  InvalidBatchNumberError,
  InvalidEncodingError,
  InvalidHexValueError,
  InvalidInteroperableAddressError,
  LeafIndexOutOfRangeError,
  SenderNotInteropCenterError,
  SharedRootMismatchError,
  TreeFullError,
  WrongProofLengthError,
} from './errors.js'

export {
  EIP155_CHAIN_TYPE,
  INTEROPERABLE_ADDRESS_VERSION,
  chainReference,
  formatInteroperableAddress,
  parseInteroperableAddress,
  type ChainReferenceParameters,
  type ChainReferenceReturnType,
  type FormatInteroperableAddressParameters,
  type FormatInteroperableAddressReturnType,
  type InteroperableAddress,
  type ParseInteroperableAddressParameters,
  type ParseInteroperableAddressReturnType,
} from './interoperableAddress.js'

export {
  BATCH_LEAF_TAG,
  CHAIN_LEAF_TAG,
  IMPORTED_ROOTS_STEP_TAG,
  INNER_NODE_TAG,
  MESSAGE_LEAF_TAG,
  PREIMAGE_LENGTHS,
  TREE_ROOT_TAG,
  ZERO_HASH,
  batchLeaf,
  batchLeafBytes,
  chainLeaf,
  chainLeafBytes,
  hashNode,
  hashNodeBytes,
  importedRootStep,
  importedRootStepBytes,
  importedRootsHash,
  messageLeaf,
  messageLeafBytes,
  payloadHash,
  sealTreeRoot,
  sealTreeRootBytes,
} from './hashing.js'

export {
  IncrementalMerkleTree,
  MAX_LEAF_COUNT,
  MAX_TREE_DEPTH,
  MerkleTree,
  emptyTreeRoot,
  merkleRoot,
  treeDepth,
  verifyMerkleProof,
  zeroHashes,
  zeroHashesBytes,
  type MerkleLeaf,
  type MerkleProof,
  type VerifyMerkleProofParameters,
  type VerifyMerkleProofReturnType,
} from './merkleTree.js'

export {
  BundleStatus,
  INTEROP_BUNDLE_VERSION,
  bundleHash,
  bundleSalt,
  decodeBundle,
  encodeBundle,
  interopBundleAbiParameter,
  interopCallAbiParameter,
  messageSenderAddress,
  receiveId,
  type InteropBundle,
  type InteropCall,
  type MessageSenderAddressParameters,
} from './bundle.js'

export {
  batchCommitmentAbiParameter,
  batchHash,
  decodeBatchCommitment,
  encodeBatchCommitment,
  importedRootAbiParameter,
  type BatchCommitment,
  type ImportedRoot,
} from './batch.js'

export {
  buildInteropProof,
  interopProofAbiParameter,
  verifyInteropProof,
  type BuildInteropProofParameters,
  type BuildInteropProofReturnType,
  type ChainTreeRootEntry,
  type InteropProof,
  type VerifyInteropProofParameters,
  type VerifyInteropProofReturnType,
} from './proof.js'
