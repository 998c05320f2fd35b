import { XmlDocument, XmlElement, XmlParseError, XmlValidateError, XsdValidator, type XmlNode } from 'libxml2-wasm'
import { PaymentMessageRefusedError } from '../errors/payments.js'

/** Validators of the schema subsets, compiled once per schema text and kept for the life of the process. */
const validators = new Map<string, XsdValidator>()

/**
 * The validator of a schema (its schema document is disposed as soon as it is compiled; the validator
 * itself is never released, on purpose).
 */
function schemaValidator(xsd: string): XsdValidator {
  const known = validators.get(xsd)
  if (known) return known
  const schema = XmlDocument.fromString(xsd)
  try {
    const validator = XsdValidator.fromDoc(schema)
    validators.set(xsd, validator)
    return validator
  } finally {
    schema.dispose()
  }
}

/** `/Document/FIToFICstmrCdtTrf/GrpHdr/NbOfTxs` for an element (names without prefixes). */
export function pathOf(node: XmlNode): string {
  const names: string[] = []
  for (let n: XmlNode | null = node; n; n = n.parent) if (n instanceof XmlElement) names.unshift(n.name)
  return `/${names.join('/')}`
}

/** The path libxml2 reports (`/*\/*\/*[3]`) as names, and the attribute its message names, if any. */
function namedPath(document: XmlDocument, detail: { xpath?: string; message: string }): string {
  const attribute = /attribute '([^']+)'/.exec(detail.message)?.[1]
  let path = '/'
  if (detail.xpath) {
    try {
      const node = document.get(detail.xpath)
      if (node) path = pathOf(node)
    } catch {
      path = detail.xpath // the raw XPath is still a path; say it as libxml2 gave it
    }
  }
  return attribute ? `${path}/@${attribute}` : path
}

/** libxml2's message without the namespace braces and the trailing newline. */
function readable(message: string): string {
  return message.replace(/\{[^}]*\}/g, '').trim()
}

/**
 * Parses an ISO 20022 message and validates it against one of Junction's schema subsets with libxml2
 * compiled to WebAssembly. Returns the parsed document, which the caller must `dispose()`.
 *
 * Throws {@link PaymentMessageRefusedError}: `malformed` (not well-formed XML, with its line) or `schema`
 * (with the path of the first offending element and every problem libxml2 found in `reason`).
 *
 * @example
 * ```ts
 * const document = parseAndValidate(xml, PACS008_SUBSET_XSD)
 * try { document.get('/p:Document', { p: PACS008_NAMESPACE }) } finally { document.dispose() }
 * ```
 */
export function parseAndValidate(xml: string, xsd: string): XmlDocument {
  let document: XmlDocument
  try {
    document = XmlDocument.fromString(xml)
  } catch (error) {
    const detail = error instanceof XmlParseError ? error.details[0] : undefined
    throw new PaymentMessageRefusedError({
      refusal: 'malformed',
      path: '/',
      line: detail?.line,
      reason: detail ? `${readable(detail.message)} (column ${detail.col})` : String(error),
      cause: error,
    })
  }
  try {
    schemaValidator(xsd).validate(document)
    return document
  } catch (error) {
    try {
      if (!(error instanceof XmlValidateError) || error.details.length === 0) throw error
      const [first] = error.details
      throw new PaymentMessageRefusedError({
        refusal: 'schema',
        path: namedPath(document, first!),
        line: first!.line,
        reason: readable(first!.message) + (error.details.length > 1 ? ` (and ${error.details.length - 1} more: ${error.details.slice(1).map((d) => `line ${d.line}: ${readable(d.message)}`).join('; ')})` : ''),
        cause: error,
      })
    } finally {
      document.dispose()
    }
  }
}
