export { createPrividiumProxy, PrividiumProxy, type CreatePrividiumProxyParameters } from './PrividiumProxy.js'
export {
  DEFAULT_PRIVIDIUM_SETTINGS,
  DISPATCHING_FUNCTIONS,
  RULE_TYPES,
  SYSTEM_PERMISSIONS,
  loadPrividiumConfig,
  parsePrividiumConfig,
  parsePrividiumPermissions,
  type ContractRule,
  type EventRule,
  type PrividiumConfig,
  type PrividiumPermissions,
  type PrividiumRole,
  type PrividiumUser,
  type RuleType,
  type SystemPermission,
} from './config.js'
export { DEFAULT_ROLES, PRIVIDIUM_DEV_ROLES, defaultPrividiumConfig, erc20Rules, type ContractRuleInput, type DefaultPrividiumConfigParameters } from './defaultConfig.js'
export { checkRpcRequest, PUBLIC_METHODS, SERVED_METHODS, type ResultFilter, type RpcDecision } from './checkRpcRequest.js'
export { filterRpcResult, logVisible } from './filterRpcResult.js'
export { callerOf, indexPermissions, type Caller, type PermissionIndex, type UserCaller } from './permissionIndex.js'
export { applyPermissionChange, type PermissionChange } from './permissionChanges.js'
export { readAuditLog, ProxyStore, type AuditEntry, type AuditLogQuery } from './proxyStore.js'
export { PrividiumApiClient, signInWithEthereum } from './PrividiumApiClient.js'
export { FORBIDDEN, UNAUTHORIZED } from './jsonRpc.js'
export { PrividiumApiError, PrividiumChainMismatchError, PrividiumConfigError } from './errors.js'
