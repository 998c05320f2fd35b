export {
  AnvilProcess,
  createAnvil,
  type AnvilExitInfo,
  type AnvilProcessEvents,
  type AnvilReadyInfo,
  type AnvilStatus,
  type CreateAnvilErrorType,
  type CreateAnvilParameters,
  type CreateAnvilReturnType,
} from './AnvilProcess.js'
export {
  findAnvilBinary,
  type FindAnvilBinaryErrorType,
  type FindAnvilBinaryParameters,
  type FindAnvilBinaryReturnType,
} from './findAnvilBinary.js'
export { isPortFree } from './isPortFree.js'
export {
  installShutdownHandlers,
  onShutdown,
  registerProcess,
  runningProcesses,
  stopAll,
  type ManagedProcess,
  type ShutdownCallback,
  type ShutdownSignal,
} from './processRegistry.js'
export {
  waitForRpc,
  type WaitForRpcErrorType,
  type WaitForRpcParameters,
  type WaitForRpcReturnType,
} from './waitForRpc.js'
export { withParentDeathSignal, type WithParentDeathSignalReturnType } from './withParentDeathSignal.js'
export {
  AnvilExitedError,
  AnvilNotFoundError,
  AnvilStartTimeoutError,
  PortInUseError,
  RpcUnreachableError,
} from '../../errors/process.js'
