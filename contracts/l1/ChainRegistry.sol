// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBatchValueApprover, IValueApproverRegistry} from "../common/IBatchValueApprover.sol";
import {IChainBalanceLedger} from "../common/IChainBalanceLedger.sol";
import {AssetAmount, AssetReserve, ChainTreeState, GasPrice, InteropProof, SettlementState} from "../common/InteropTypes.sol";
import {LedgerAccounts} from "../common/LedgerAccounts.sol";
import {MigrationMessages} from "../common/MigrationMessages.sol";
import {SettlementLayerHistory} from "../common/SettlementLayerHistory.sol";
import {ChainSettlement} from "./ChainSettlement.sol";
import {MessageRoot} from "./MessageRoot.sol";

/// @title ChainRegistry
/// @notice The ZK chains known to this settlement layer, each with its ChainSettlement contract here,
/// and where each one settles now. Registration order is the order of the chains in the shared tree.
/// On L1 it also knows the Gateways (settlement layers settling here) and moves chains between L1 and a
/// Gateway (docs/protocol.md section 11); on a Gateway it takes the chains that move in, and lets them go.
/// @dev Deployment: deploy MessageRoot (its deployer becomes its owner), then this registry with
/// the MessageRoot address, then call `MessageRoot.setRegistry(registry)` once.
///
/// Moving a chain, L1 → Gateway G, one step on L1 (`migrateChain(chain, G, reserves)`): the chain's
/// settlement here is deactivated (every committed batch executed, every queued request processed), its
/// balances beyond the reserves move from the chain's account in L1's ledger to G's, and priority requests
/// in G's L1 queue have G's registry activate the chain's settlement there with that state and the chain's
/// tree of batches (a request whose cost does not depend on what the chain holds), then credit it those
/// balances in G's asset tracker, at most `MIGRATION_CREDIT_ASSETS` assets a request. Deposits after it go
/// through G's queue, after those requests. When one L1 transaction cannot carry every asset, the owner
/// moves the rest with `moveBalancesToGateway` while the chain already settles on G (its batches that
/// spend an asset not credited yet wait for the credit).
///
/// Gateway G → L1, three steps: `migrateChain(chain, L1, [])` on L1 refuses further deposits to the chain
/// and queues a fence in G's L1 queue (every deposit queued before it has been passed on to the chain
/// once G processes it); G's owner calls `releaseChain(chain)` on G once the fence is processed, which
/// deactivates the chain's settlement there, takes its balances from G's asset tracker (at most
/// `GatewayAssetTracker.RELEASE_ASSETS` assets; the tracker sends the rest back to L1 with
/// `sendBackBalances`) and records a migration message of the Gateway chain; once G's batch holding it is
/// executed on L1, anyone calls `finalizeChainMigration` here with its proof, which activates the chain's
/// settlement on L1 with the state and tree the message carries and moves its balances from G's account
/// to the chain's.
///
/// L1's registry also records which layer executed each of a chain's batches (`settlementLayerOfBatch`):
/// L1's ledger charges a message to the account of the layer its batch settled on (section 9.11).
contract ChainRegistry is IValueApproverRegistry {
    /// @notice Most assets one priority request credits to a chain moving to a Gateway. Each request gets
    /// the Gateway inbox's fixed `REQUEST_GAS_LIMIT` (3,000,000); a credit costs about 52,000 gas plus about
    /// 71,000 per asset new to the chain there (measured: 1,207,986 gas for the whole request with 16, the
    /// most it can take; docs/protocol.md section 11), well below the limit whatever the assets.
    uint256 public constant MIGRATION_CREDIT_ASSETS = 16;

    /// @notice The account allowed to register chains and move them (the deployer).
    address public immutable owner;
    /// @notice The message-root contract told about every new chain.
    MessageRoot public immutable messageRoot;
    /// @notice Wei per gas last posted for each chain (`postGasPrices`; L1's chain id: settlement gas).
    mapping(uint256 chainId => uint256 weiPerGas) public gasPriceOf;
    /// @notice On a Gateway, the Gateway chain's L2PriorityInbox: L1's requests to activate or fence a
    /// chain come through it (0 on L1).
    address public immutable priorityInbox;
    /// @inheritdoc IValueApproverRegistry
    /// @dev On a Gateway its GatewayAssetTracker (docs/protocol.md section 9.10); 0 on L1. Set once.
    IBatchValueApprover public valueApprover;
    /// @notice On L1, the L1AssetRouter: its ledger moves a chain's balances when the chain moves (0 until
    /// set; 0 on a Gateway). Set once.
    IChainBalanceLedger public assetRouter;

    mapping(uint256 chainId => address settlement) private _settlements;
    uint256[] private _chainIds;
    mapping(uint256 chainId => address forwarder) private _priorityForwarders;
    mapping(uint256 chainId => address registry) private _settlementLayerRegistries;
    mapping(uint256 chainId => uint256 slChainId) private _settlementLayerOf;
    mapping(uint256 chainId => bool) private _migratingToHere;
    mapping(uint256 chainId => bool) private _fenced;
    /// @dev (On a Gateway) How many times each chain was released back to L1: the `release` of its migration
    /// messages, so that no two are equal.
    mapping(uint256 chainId => uint256) private _releases;
    mapping(bytes32 messageHash => bool) private _migrationFinalized;
    mapping(uint256 chainId => address tracker) private _assetTrackers;
    /// @dev Per chain, its settlement epochs in the order they began: the first batch of each and the
    /// layer that executes it and the batches after it (until the next epoch).
    mapping(uint256 chainId => Epoch[]) private _epochs;

    struct Epoch {
        uint256 firstBatch;
        uint256 slChainId;
    }

    /// @notice A chain was registered; `index` is its position in the shared tree.
    event ChainRegistered(uint256 indexed chainId, address settlement, uint256 index);

    /// @notice Registered chain `chainId` (settling here) is also a settlement layer (a Gateway) whose
    /// priority forwarder is `priorityForwarder` and whose registry is `registry`.
    event SettlementLayerRegistered(uint256 indexed chainId, address priorityForwarder, address registry, address assetTracker);
    /// @notice Chain `chainId` settles on settlement layer `slChainId` (a Gateway registered here).
    event ChainRegisteredOnSettlementLayer(uint256 indexed chainId, uint256 indexed slChainId);
    /// @notice Chain `chainId` moved from `fromSl` to `toSl`: its blocks after `lastBlock` (after batch
    /// `batchNumber`) settle on `toSl`.
    event ChainMigrated(uint256 indexed chainId, uint256 fromSl, uint256 toSl, uint256 batchNumber, uint256 lastBlock);
    /// @notice Chain `chainId` is on its way from the Gateway `fromSl` back here: deposits to it are
    /// refused until `finalizeChainMigration`.
    event ChainMigrationStarted(uint256 indexed chainId, uint256 fromSl, uint256 toSl);
    /// @notice (On a Gateway) chain `chainId` moved here: it settles here after batch `batchNumber`.
    event ChainActivated(uint256 indexed chainId, uint256 batchNumber, uint256 lastBlock);
    /// @notice (On a Gateway) chain `chainId`, moving here, was credited `balances` in the asset tracker
    /// (L1 moved them to this Gateway's account).
    event ChainBalancesCredited(uint256 indexed chainId, AssetAmount[] balances);
    /// @notice (On a Gateway) every deposit L1 queued for `chainId` before its return has been passed on.
    event ChainFenced(uint256 indexed chainId);
    /// @notice (On a Gateway) chain `chainId` left: its blocks after `lastBlock` (after batch
    /// `batchNumber`) settle on L1; `message` is the migration message recorded for L1.
    event ChainReleased(uint256 indexed chainId, uint256 batchNumber, uint256 lastBlock, bytes message);

    /// @notice The settlement contracts here ask `approver` before they execute a batch.
    event ValueApproverSet(address approver);
    /// @notice (On L1) Moving chains moves their balances in `assetRouter`'s ledger.
    event AssetRouterSet(address assetRouter);
    /// @notice (On L1) `chainId`'s `balances` moved with it from `fromSl`'s ledger account to `toSl`'s.
    event ChainBalancesMoved(uint256 indexed chainId, uint256 fromSl, uint256 toSl, AssetAmount[] balances);
    /// @notice Batches of `chainId` from `firstBatch` on settle on `slChainId` (until its next epoch).
    event SettlementEpochStarted(uint256 indexed chainId, uint256 firstBatch, uint256 slChainId);

    /// @notice `chainId` is not a chain registered here.
    error ChainNotRegistered(uint256 chainId);
    /// @notice `chainId` is not a settlement layer registered here.
    error NotASettlementLayer(uint256 chainId);
    /// @notice `chainId` is a settlement layer already, with these addresses: they are set once.
    error SettlementLayerAlreadyRegistered(uint256 chainId, address priorityForwarder, address registry, address assetTracker);
    /// @notice The owner posted gas prices (`postGasPrices`).
    event GasPricesPosted(GasPrice[] prices);

    /// @notice Only the owner may call this.
    error NotOwner(address caller);
    /// @notice The chain is already registered (with `settlement`).
    error ChainAlreadyRegistered(uint256 chainId, address settlement);
    /// @notice Chain id 0 is not a chain.
    error ZeroChainId();
    /// @notice The zero address is not a settlement contract or message root.
    error ZeroAddress();
    /// @notice The chain's settlement here is active: the chain settles here, not on another layer.
    error ChainSettlesHere(uint256 chainId);
    /// @notice The chain does not settle where the move starts from (`settlesOn`).
    error WrongOrigin(uint256 chainId, uint256 settlesOn);
    /// @notice Only the Gateway chain's priority inbox (that is, a request from L1) may call this.
    error NotPriorityInbox(address caller);
    /// @notice The chain is not on its way back to L1 (no `migrateChain(chain, L1)` before).
    error NotMigrating(uint256 chainId);
    /// @notice The chain is already on its way back to L1.
    error AlreadyMigrating(uint256 chainId);
    /// @notice L1's fence for the chain has not been processed here yet: deposits may still be on the way.
    error NotFenced(uint256 chainId);
    /// @notice The migration message was not recorded by the chain's Gateway's registry.
    error NotAMigrationFromGateway(uint256 chainId, uint256 gateway);
    /// @notice This migration message was already finalized.
    error MigrationAlreadyFinalized(bytes32 messageHash);
    /// @notice The value approver is set once, before any chain registers.
    error ValueApproverAlreadySet();
    /// @notice The asset router is set once.
    error AssetRouterAlreadySet();
    /// @notice Chain ids are below 2^255 (L1's ledger accounts of Gateways use the top bit).
    error ChainIdTooLarge(uint256 chainId);
    /// @notice A chain moving to a Gateway takes balances along (from L1's ledger); one coming back does
    /// not name any: they come from the Gateway.
    error UnexpectedBalances(uint256 chainId);
    /// @notice A chain moves with balances, but there is no asset router to move them yet.
    error NoAssetRouter();
    /// @notice The chain does not settle on a Gateway now (`settlesOn`), or is on its way back to L1: its
    /// balances stay where they are.
    error NotOnGateway(uint256 chainId, uint256 settlesOn);

    /// @param messageRoot_ The MessageRoot of this settlement layer.
    /// @param priorityInbox_ On a Gateway, the Gateway chain's L2PriorityInbox; 0 on L1.
    constructor(MessageRoot messageRoot_, address priorityInbox_) {
        if (address(messageRoot_) == address(0)) revert ZeroAddress();
        owner = msg.sender;
        messageRoot = messageRoot_;
        priorityInbox = priorityInbox_;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    modifier onlyPriorityInbox() {
        if (msg.sender != priorityInbox || msg.sender == address(0)) revert NotPriorityInbox(msg.sender);
        _;
    }

    /// @notice Sets the approver of batch value the settlement contracts here ask before they execute a
    /// batch (on a Gateway, its GatewayAssetTracker). Only the owner, once, before any chain registers.
    function setValueApprover(IBatchValueApprover approver) external onlyOwner {
        if (address(approver) == address(0)) revert ZeroAddress();
        if (address(valueApprover) != address(0) || _chainIds.length != 0) revert ValueApproverAlreadySet();
        valueApprover = approver;
        emit ValueApproverSet(address(approver));
    }

    /// @notice (On L1) Sets the asset router whose ledger moves a chain's balances when the chain moves
    /// between settlement layers. Only the owner, once.
    function setAssetRouter(IChainBalanceLedger router) external onlyOwner {
        if (address(router) == address(0)) revert ZeroAddress();
        if (address(assetRouter) != address(0)) revert AssetRouterAlreadySet();
        assetRouter = router;
        emit AssetRouterSet(address(router));
    }

    /// @notice Registers a chain and its settlement contract here; appends it to the shared tree. The
    /// chain settles here if that settlement is active; an inactive one is where it may move later.
    /// @dev Only the owner. Each chain id once.
    /// @param chainId The chain's id.
    /// @param settlement The chain's ChainSettlement contract (the only caller allowed to append its
    /// batch roots to MessageRoot).
    function registerChain(uint256 chainId, address settlement) external onlyOwner {
        _checkChainId(chainId);
        if (settlement == address(0)) revert ZeroAddress();
        address existing = _settlements[chainId];
        if (existing != address(0) || _settlementLayerOf[chainId] != 0) revert ChainAlreadyRegistered(chainId, existing);

        _settlements[chainId] = settlement;
        if (ChainSettlement(settlement).active()) {
            _settlementLayerOf[chainId] = block.chainid;
            _startEpoch(chainId, 1, block.chainid);
        }
        uint256 index = _chainIds.length;
        _chainIds.push(chainId);
        emit ChainRegistered(chainId, settlement, index);

        messageRoot.addChain(chainId);
    }

    /// @notice Makes registered chain `chainId` a settlement layer (a Gateway): chains may then be
    /// registered on it. Only the owner, once per Gateway: L1 trusts these three addresses for as long as
    /// the Gateway exists (deposits to its chains go through the forwarder, chains come back on the
    /// registry's migration messages, the Gateway's account pays out on the tracker's messages), so they
    /// can never be re-pointed (`SettlementLayerAlreadyRegistered`). Replacing a Gateway's contracts takes
    /// a new Gateway chain.
    /// @param chainId A chain registered here (its own batches settle here).
    /// @param priorityForwarder The Gateway's GatewayPriorityForwarder, through which priority requests
    /// (deposits) reach the chains settling on it.
    /// @param slRegistry The Gateway's ChainRegistry (on the Gateway chain): where chains moving to the
    /// Gateway are activated, and whose migration messages bring them back.
    /// @param assetTracker The Gateway's GatewayAssetTracker (on the Gateway chain): the sender of the
    /// messages that tell L1's ledger what left the Gateway (docs/protocol.md section 9.11).
    function registerSettlementLayer(uint256 chainId, address priorityForwarder, address slRegistry, address assetTracker)
        external
        onlyOwner
    {
        if (_settlements[chainId] == address(0)) revert ChainNotRegistered(chainId);
        if (priorityForwarder == address(0) || slRegistry == address(0) || assetTracker == address(0)) revert ZeroAddress();
        address registered = _priorityForwarders[chainId];
        if (registered != address(0)) {
            revert SettlementLayerAlreadyRegistered(chainId, registered, _settlementLayerRegistries[chainId], _assetTrackers[chainId]);
        }
        _priorityForwarders[chainId] = priorityForwarder;
        _settlementLayerRegistries[chainId] = slRegistry;
        _assetTrackers[chainId] = assetTracker;
        emit SettlementLayerRegistered(chainId, priorityForwarder, slRegistry, assetTracker);
    }

    /// @notice Records that `chainId` settles on the Gateway `slChainId`, not here: its batches are
    /// executed there, and its messages reach this layer through the Gateway's batches. Only the owner;
    /// each chain once, and never a chain whose settlement here is active. (A chain registered here with
    /// an inactive settlement keeps its place in this layer's shared tree for when it moves here.)
    function registerChainOnSettlementLayer(uint256 chainId, uint256 slChainId) external onlyOwner {
        _checkChainId(chainId);
        if (_priorityForwarders[slChainId] == address(0)) revert NotASettlementLayer(slChainId);
        if (_settlementLayerOf[chainId] != 0) revert ChainAlreadyRegistered(chainId, _settlements[chainId]);
        address settlement = _settlements[chainId];
        if (settlement != address(0) && ChainSettlement(settlement).active()) revert ChainSettlesHere(chainId);
        _settlementLayerOf[chainId] = slChainId;
        _startEpoch(chainId, 1, slChainId);
        emit ChainRegisteredOnSettlementLayer(chainId, slChainId);
    }

    /// @notice (On L1) Moves `chainId` to `toSl`: to a Gateway in one step, or back here from its Gateway
    /// (the first of three steps, see the contract's notes). Only the owner.
    /// @param reserves To a Gateway: for each asset of the chain's account in L1's ledger, what stays in it:
    /// what the chain's messages settled here may still take out of it (withdrawals not finalized,
    /// transfers not recorded, failed deposits not claimed), which are charged to it (docs/protocol.md
    /// section 11), as read when the account had paid out `outflowsAtRead` (what it paid out since comes
    /// off the reserve). The rest of each listed asset moves to the Gateway's account, and the Gateway's
    /// asset tracker credits it to the chain; assets not listed stay (`moveBalancesToGateway` moves them
    /// later, when they do not fit in this transaction). Back here: none (the balances come from the
    /// Gateway).
    /// @dev To a Gateway: reverts `BatchesNotExecuted` / `PriorityRequestsPending` (from the chain's
    /// settlement) until its batches and deposits are settled here. The chain's activation is queued in the
    /// Gateway's L1 queue before its credits, so the Gateway processes it first.
    function migrateChain(uint256 chainId, uint256 toSl, AssetReserve[] calldata reserves) external onlyOwner {
        uint256 from = _settlementLayerOf[chainId];
        if (from == 0) revert ChainNotRegistered(chainId);
        if (toSl == block.chainid) {
            if (reserves.length != 0) revert UnexpectedBalances(chainId);
            if (_priorityForwarders[from] == address(0)) revert WrongOrigin(chainId, from);
            if (_migratingToHere[chainId]) revert AlreadyMigrating(chainId);
            if (_settlements[chainId] == address(0)) revert ChainNotRegistered(chainId);
            _migratingToHere[chainId] = true;
            _requestOnGateway(from, abi.encodeCall(ChainRegistry.fenceChain, (chainId)));
            emit ChainMigrationStarted(chainId, from, toSl);
            return;
        }
        if (from != block.chainid) revert WrongOrigin(chainId, from);
        if (_priorityForwarders[toSl] == address(0)) revert NotASettlementLayer(toSl);
        SettlementState memory state = ChainSettlement(_settlements[chainId]).deactivate();
        ChainTreeState memory tree = messageRoot.chainTree(chainId);
        _settlementLayerOf[chainId] = toSl;
        _requestOnGateway(toSl, abi.encodeCall(ChainRegistry.activateChain, (chainId, state, tree)));
        _moveBalancesToGateway(chainId, toSl, reserves);
        _startEpoch(chainId, state.batchNumber + 1, toSl);
        emit ChainMigrated(chainId, block.chainid, toSl, state.batchNumber, state.lastBlock);
    }

    /// @notice (On L1) Moves more of the balances of `chainId`, which settles on a Gateway since
    /// `migrateChain`, from its own account in L1's ledger to the Gateway's, and has the Gateway's asset
    /// tracker credit them to it: for the assets one `migrateChain` transaction could not carry. The same
    /// rule as `migrateChain`: for each asset of `reserves`, what the account holds beyond the reserve
    /// (lowered by what the account paid out since `outflowsAtRead`) moves; the reserve stays for the
    /// chain's messages settled on L1. Only the owner; only while the chain settles on a Gateway and is not
    /// on its way back (`NotOnGateway`), so that every credit reaches the Gateway while the chain is there.
    /// @dev Until its credit is processed on the Gateway, a batch of the chain that spends such an asset
    /// waits for it (its approval is refused with `InsufficientChainBalance`).
    function moveBalancesToGateway(uint256 chainId, AssetReserve[] calldata reserves) external onlyOwner {
        uint256 sl = _settlementLayerOf[chainId];
        if (_priorityForwarders[sl] == address(0) || _migratingToHere[chainId]) revert NotOnGateway(chainId, sl);
        _moveBalancesToGateway(chainId, sl, reserves);
    }

    /// @notice (On a Gateway) The chain moves here: activates its settlement with `state` and imports its
    /// tree of batches. Its balances follow in `creditChainBalances` requests, queued right after this one.
    /// Only as L1's priority request (through the Gateway chain's priority inbox). Its cost does not depend
    /// on what the chain holds: it always fits in the inbox's `REQUEST_GAS_LIMIT`.
    function activateChain(uint256 chainId, SettlementState calldata state, ChainTreeState calldata tree)
        external
        onlyPriorityInbox
    {
        address settlement = _settlements[chainId];
        if (settlement == address(0)) revert ChainNotRegistered(chainId);
        ChainSettlement(settlement).activate(state);
        messageRoot.importChainTree(chainId, tree);
        _settlementLayerOf[chainId] = block.chainid;
        emit ChainActivated(chainId, state.batchNumber, state.lastBlock);
    }

    /// @notice (On a Gateway) Has the asset tracker credit `balances` (at most `MIGRATION_CREDIT_ASSETS`,
    /// which L1 moved to this Gateway's account) to `chainId`, which moved here (L1 queues them after its
    /// activation, and stops before it lets the chain go back). Only as L1's priority request.
    function creditChainBalances(uint256 chainId, AssetAmount[] calldata balances) external onlyPriorityInbox {
        if (address(valueApprover) != address(0)) valueApprover.creditMigration(chainId, balances);
        emit ChainBalancesCredited(chainId, balances);
    }

    /// @notice (On a Gateway) L1 will send no more deposits to `chainId` through this Gateway, and every
    /// one it sent before has been passed on to the chain: it may be released. Only as L1's priority request.
    function fenceChain(uint256 chainId) external onlyPriorityInbox {
        _fenced[chainId] = true;
        emit ChainFenced(chainId);
    }

    /// @notice (On a Gateway) Lets `chainId` go back to L1: deactivates its settlement here (every batch
    /// executed, every request processed), takes its balances from the asset tracker (a bounded number of
    /// assets, so that L1 can finalize the return in one transaction; the tracker's `sendBackBalances` sends
    /// the rest) and records the migration message L1 finalizes it with. Only the owner, once L1's fence for
    /// the chain is processed here.
    /// @return message The migration message (docs/protocol.md section 11).
    function releaseChain(uint256 chainId) external onlyOwner returns (bytes memory message) {
        if (_settlementLayerOf[chainId] != block.chainid) revert WrongOrigin(chainId, _settlementLayerOf[chainId]);
        if (!_fenced[chainId]) revert NotFenced(chainId);
        SettlementState memory state = ChainSettlement(_settlements[chainId]).deactivate();
        ChainTreeState memory tree = messageRoot.chainTree(chainId);
        _settlementLayerOf[chainId] = 0;
        _fenced[chainId] = false;
        AssetAmount[] memory balances;
        if (address(valueApprover) != address(0)) balances = valueApprover.releaseBalances(chainId);
        message = MigrationMessages.encode(chainId, ++_releases[chainId], state, tree, balances);
        messageRoot.messenger().recordMessage(keccak256(message));
        emit ChainReleased(chainId, state.batchNumber, state.lastBlock, message);
    }

    /// @notice (On L1) Brings `chainId` back from its Gateway: checks that the Gateway's registry recorded
    /// `message` in a Gateway batch executed here (`proof`, against L1's root history), then activates the
    /// chain's settlement here with the state and tree it carries, and moves the balances it carries from
    /// the Gateway's account in L1's ledger to the chain's. Anyone may call it; once per message.
    function finalizeChainMigration(bytes calldata message, InteropProof calldata proof) external {
        (uint256 chainId,, SettlementState memory state, ChainTreeState memory tree, AssetAmount[] memory balances) =
            MigrationMessages.decode(message);
        if (!_migratingToHere[chainId]) revert NotMigrating(chainId);
        uint256 gateway = _settlementLayerOf[chainId];
        if (proof.messageSender != _settlementLayerRegistries[gateway]) revert NotAMigrationFromGateway(chainId, gateway);
        bytes32 messageHash = keccak256(message);
        if (_migrationFinalized[messageHash]) revert MigrationAlreadyFinalized(messageHash);
        SettlementLayerHistory.checkMessage(messageRoot, this, gateway, messageHash, proof);
        _migrationFinalized[messageHash] = true;
        delete _migratingToHere[chainId];
        ChainSettlement(_settlements[chainId]).activate(state);
        messageRoot.importChainTree(chainId, tree);
        _settlementLayerOf[chainId] = block.chainid;
        if (balances.length != 0) {
            if (address(assetRouter) == address(0)) revert NoAssetRouter();
            assetRouter.moveChainBalances(LedgerAccounts.ofSettlementLayer(gateway), LedgerAccounts.ofChain(chainId), balances);
        }
        emit ChainBalancesMoved(chainId, gateway, block.chainid, balances);
        _startEpoch(chainId, state.batchNumber + 1, block.chainid);
        emit ChainMigrated(chainId, gateway, block.chainid, state.batchNumber, state.lastBlock);
    }

    /// @dev Batches of `chainId` from `firstBatch` on settle on `slChainId`.
    function _startEpoch(uint256 chainId, uint256 firstBatch, uint256 slChainId) private {
        _epochs[chainId].push(Epoch(firstBatch, slChainId));
        emit SettlementEpochStarted(chainId, firstBatch, slChainId);
    }

    /// @dev Refuses chain id 0 and ids from 2^255 on (the top bit marks a Gateway's ledger account).
    function _checkChainId(uint256 chainId) private pure {
        if (chainId == 0) revert ZeroChainId();
        if (chainId >= LedgerAccounts.SETTLEMENT_LAYER_BIT) revert ChainIdTooLarge(chainId);
    }

    /// @dev Moves what `chainId`'s own account holds beyond `reserves` to the Gateway `gateway`'s account
    /// (`ChainBalancesMoved`), and queues its credit on the Gateway, `MIGRATION_CREDIT_ASSETS` assets a
    /// request.
    function _moveBalancesToGateway(uint256 chainId, uint256 gateway, AssetReserve[] calldata reserves) private {
        AssetAmount[] memory balances;
        if (reserves.length != 0) {
            if (address(assetRouter) == address(0)) revert NoAssetRouter();
            balances = assetRouter.moveChainBalancesAbove(LedgerAccounts.ofChain(chainId), LedgerAccounts.ofSettlementLayer(gateway), reserves);
        }
        emit ChainBalancesMoved(chainId, block.chainid, gateway, balances);
        for (uint256 start; start < balances.length; start += MIGRATION_CREDIT_ASSETS) {
            uint256 end = start + MIGRATION_CREDIT_ASSETS < balances.length ? start + MIGRATION_CREDIT_ASSETS : balances.length;
            AssetAmount[] memory part = new AssetAmount[](end - start);
            for (uint256 i = start; i < end; ++i) {
                part[i - start] = balances[i];
            }
            _requestOnGateway(gateway, abi.encodeCall(ChainRegistry.creditChainBalances, (chainId, part)));
        }
    }

    /// @dev Queues a call of the Gateway `gateway`'s registry as a priority request in its queue here.
    function _requestOnGateway(uint256 gateway, bytes memory data) private {
        ChainSettlement(_settlements[gateway]).enqueuePriorityRequest(_settlementLayerRegistries[gateway], data);
    }

    /// @notice Posts the gas prices the network's fees are quoted with (docs/fees.md): wei per gas of each
    /// chain's execution, and under L1's chain id the price of settlement gas. Only the owner (the operator).
    /// The root importer carries the prices posted at or before a root's block to the chains importing that
    /// root (`InteropRootStore.addInteropRootWithGasPrices`), where `InteropCenter.quoteFee` reads them.
    /// @param prices The prices; each replaces its chain's previous one.
    function postGasPrices(GasPrice[] calldata prices) external onlyOwner {
        for (uint256 i; i < prices.length; ++i) {
            gasPriceOf[prices[i].chainId] = prices[i].weiPerGas;
        }
        emit GasPricesPosted(prices);
    }

    /// @notice Where `chainId` settles now: this chain's id for a chain settling here, a Gateway's chain
    /// id for a chain settling on a Gateway, 0 for an unknown chain (or, on a Gateway, a chain that does
    /// not settle here).
    function settlementLayerOf(uint256 chainId) external view returns (uint256) {
        return _settlementLayerOf[chainId];
    }

    /// @notice The settlement layer that executes batch `batchNumber` of `chainId` (as this registry
    /// recorded the chain's registration and moves; 0 for an unknown chain or batch 0). On L1, the ledger
    /// charges a message to the account of the layer its batch settled on.
    function settlementLayerOfBatch(uint256 chainId, uint256 batchNumber) external view returns (uint256) {
        Epoch[] storage epochs = _epochs[chainId];
        for (uint256 i = epochs.length; i > 0; --i) {
            Epoch storage epoch = epochs[i - 1];
            if (epoch.firstBatch <= batchNumber) return epoch.slChainId;
        }
        return 0;
    }

    /// @notice The asset tracker of the Gateway `chainId` on the Gateway chain (0 if it is not one).
    function assetTrackerOf(uint256 chainId) external view returns (address) {
        return _assetTrackers[chainId];
    }

    /// @notice Whether deposits to `chainId` are refused because it is on its way back from a Gateway.
    function isMigrating(uint256 chainId) external view returns (bool) {
        return _migratingToHere[chainId];
    }

    /// @notice (On a Gateway) Whether L1's fence for `chainId` was processed here: it may be released.
    function isFenced(uint256 chainId) external view returns (bool) {
        return _fenced[chainId];
    }

    /// @notice Whether `chainId` is a settlement layer (a Gateway) registered here.
    function isSettlementLayer(uint256 chainId) external view returns (bool) {
        return _priorityForwarders[chainId] != address(0);
    }

    /// @notice The priority forwarder of the Gateway `chainId` (0 if it is not one).
    function priorityForwarderOf(uint256 chainId) external view returns (address) {
        return _priorityForwarders[chainId];
    }

    /// @notice The registry of the Gateway `chainId` on the Gateway chain (0 if it is not one).
    function settlementLayerRegistryOf(uint256 chainId) external view returns (address) {
        return _settlementLayerRegistries[chainId];
    }

    /// @notice The settlement contract of `chainId` here (0 if not registered). It may be inactive: see
    /// `settlementLayerOf`.
    function settlementOf(uint256 chainId) external view returns (address) {
        return _settlements[chainId];
    }

    /// @notice Number of registered chains.
    function chainCount() external view returns (uint256) {
        return _chainIds.length;
    }

    /// @notice The chain registered at position `index` (reverts with a panic if out of range).
    function chainIdAt(uint256 index) external view returns (uint256) {
        return _chainIds[index];
    }
}
