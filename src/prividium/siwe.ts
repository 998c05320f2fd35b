// Sign-In with Ethereum (EIP-4361): the message this server issues, and the checks of a login with it.
import { hashMessage, recoverPublicKey, verifyMessage, type Address, type Hex } from 'viem'
import { createSiweMessage, parseSiweMessage } from 'viem/siwe'

/** A message this server issued, kept under its nonce token until it is used or expires. */
export type IssuedSiweMessage = {
  address: Address
  domain: string
  nonce: string
  message: string
  /** Milliseconds since the epoch. */
  expiresAt: number
}

/**
 * The EIP-4361 message a wallet signs to sign in.
 *
 * @example
 * ```ts
 * buildSiweMessage({ address, domain: '127.0.0.1', uri: 'http://127.0.0.1:8011', chainId: 270, statement: 'Sign in.', nonce, issuedAt: new Date(), expirationTime })
 * ```
 */
export function buildSiweMessage(parameters: { address: Address; domain: string; uri: string; chainId: number; statement: string; nonce: string; issuedAt: Date; expirationTime: Date; notBefore?: Date | undefined }): string {
  return createSiweMessage({ ...parameters, version: '1' })
}

export type CheckSiweLoginParameters = {
  /** The message the client sent back, signed. */
  message: string
  /** The message issued under the client's nonce token. */
  issued: IssuedSiweMessage
  domains: readonly string[]
  chainId: number
  now: number
}

/**
 * Checks a signed-in message against the one issued for its nonce token, field by field so that the
 * error says what is wrong: the domain is one this server accepts, the chain id is this chain's, the
 * nonce and address are the issued ones, it has not expired and is not from the future, and it is the
 * very message issued (no field added or changed). Pure; the signature is checked after.
 *
 * @example
 * ```ts
 * const problem = checkSiweLogin({ message, issued, domains: ['127.0.0.1'], chainId: 270, now: Date.now() })
 * if (problem) refuse(problem)
 * ```
 */
export function checkSiweLogin(parameters: CheckSiweLoginParameters): string | undefined {
  const { message, issued, domains, chainId, now } = parameters
  const fields = parseSiweMessage(message)
  if (!fields.domain || !fields.address || !fields.nonce || fields.chainId === undefined) return 'the message is not an EIP-4361 sign-in message'
  if (!domains.includes(fields.domain)) return `the message's domain "${fields.domain}" is not one this server accepts (${domains.join(', ')})`
  if (fields.chainId !== chainId) return `the message is for chain ${fields.chainId}, this is chain ${chainId}`
  if (fields.nonce !== issued.nonce) return 'the message\'s nonce is not the one issued with this nonce token'
  if (fields.address.toLowerCase() !== issued.address.toLowerCase()) return `the message signs in ${fields.address}, the nonce was issued to ${issued.address}`
  if (fields.version !== '1') return 'the message\'s version must be 1'
  if (fields.expirationTime !== undefined && !(fields.expirationTime.getTime() > now)) return 'the message has expired: ask for a new one'
  if (fields.notBefore !== undefined && !(fields.notBefore.getTime() <= now)) return 'the message is not valid yet (Not Before)'
  if (fields.issuedAt !== undefined && !(fields.issuedAt.getTime() <= now + 60_000)) return 'the message was issued in the future'
  if (message !== issued.message) return 'the message differs from the one issued for this nonce token'
  return undefined
}

/**
 * Whether `signature` is `address`'s signature of `message` (EIP-191, viem `verifyMessage`), and the
 * signer's public key (kept in the session for the quick sender check of its raw transactions).
 *
 * @example
 * ```ts
 * const { valid, publicKey } = await verifySiweSignature({ address, message, signature })
 * ```
 */
export async function verifySiweSignature(parameters: { address: Address; message: string; signature: Hex }): Promise<{ valid: boolean; publicKey?: Hex | undefined }> {
  let valid: boolean
  try {
    valid = await verifyMessage(parameters)
  } catch {
    // A signature that is not 65 bytes or whose point is not on the curve: not this address's.
    return { valid: false }
  }
  if (!valid) return { valid: false }
  return { valid: true, publicKey: await recoverPublicKey({ hash: hashMessage(parameters.message), signature: parameters.signature }) }
}
