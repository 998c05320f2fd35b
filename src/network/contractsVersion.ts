/**
 * The version of the contracts and encodings a network Junction deploys has, written in its manifest
 * (`contractsVersion`): a saved network resumes only under the same version, since its chains hold the
 * contracts it was deployed with. Raise it with any change to a deployed contract or an encoding the
 * services read (1: the InteropHandler is the chain's root store, migration messages carry their release
 * number, bundles flag a fee; 2: the L2AssetRouter takes a blinding key, a private chain's withdrawals are
 * recorded blinded and L1 finalizes them with `finalizeBlindedWithdrawal`; the InteropCenter records a fee for
 * every bundle sent with `executionGasLimit`, 0 wei included; 3: a private chain records its transfers blinded too,
 * `TransferBlinded`, and L1 records them with `finalizeBlindedTransfer`).
 */
export const CONTRACTS_VERSION = 3
