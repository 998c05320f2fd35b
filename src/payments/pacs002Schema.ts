/**
 * Junction's XSD for pacs.002.001.10 (FI-to-FI payment status report), a SUBSET written for Junction from
 * the ISO 20022 message definition (FIToFIPaymentStatusReportV10): element names, their order and data types
 * follow the standard; what Junction does not produce is left out, and an element left out is refused by
 * validation. It is not the official schema file and is not a copy of it. Stricter than the standard, as
 * the SWIFT CBPR+ guidelines are for a status report on one payment: exactly one `OrgnlGrpInfAndSts` and one
 * `TxInfAndSts`, with `OrgnlUETR` and `TxSts` mandatory, at most one `StsRsnInf`.
 *
 * Covered (docs/payments.md lists the same):
 * - `Document` / `FIToFIPmtStsRpt` (FIToFIPaymentStatusReportV10)
 * - `GrpHdr` (GroupHeader91): `MsgId`, `CreDtTm`, `InstgAgt`?, `InstdAgt`?
 * - `OrgnlGrpInfAndSts` (OriginalGroupHeader17): `OrgnlMsgId`, `OrgnlMsgNmId`, `OrgnlCreDtTm`?, `OrgnlNbOfTxs`?
 * - `TxInfAndSts` (PaymentTransaction110): `StsId`?, `OrgnlInstrId`?, `OrgnlEndToEndId`?, `OrgnlTxId`?,
 *   `OrgnlUETR`, `TxSts` (ExternalPaymentTransactionStatus1Code), `StsRsnInf`? (StatusReasonInformation12:
 *   `Rsn` (`Cd` ExternalStatusReason1Code or `Prtry`), `AddtlInf`≤2), `AccptncDtTm`?, `InstgAgt`?, `InstdAgt`?
 */
import { ISO20022_COMMON_TYPES_XSD } from './iso20022Types.js'

export const PACS002_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10'

export const PACS002_SUBSET_XSD = `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns="${PACS002_NAMESPACE}"
           targetNamespace="${PACS002_NAMESPACE}"
           elementFormDefault="qualified">
  <xs:element name="Document" type="Document"/>
  <xs:complexType name="Document">
    <xs:sequence><xs:element name="FIToFIPmtStsRpt" type="FIToFIPaymentStatusReportV10"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="FIToFIPaymentStatusReportV10">
    <xs:sequence>
      <xs:element name="GrpHdr" type="GroupHeader91"/>
      <xs:element name="OrgnlGrpInfAndSts" type="OriginalGroupHeader17"/>
      <xs:element name="TxInfAndSts" type="PaymentTransaction110"/>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="GroupHeader91">
    <xs:sequence>
      <xs:element name="MsgId" type="Max35Text"/>
      <xs:element name="CreDtTm" type="ISODateTime"/>
      <xs:element name="InstgAgt" type="BranchAndFinancialInstitutionIdentification6" minOccurs="0"/>
      <xs:element name="InstdAgt" type="BranchAndFinancialInstitutionIdentification6" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="OriginalGroupHeader17">
    <xs:sequence>
      <xs:element name="OrgnlMsgId" type="Max35Text"/>
      <xs:element name="OrgnlMsgNmId" type="Max35Text"/>
      <xs:element name="OrgnlCreDtTm" type="ISODateTime" minOccurs="0"/>
      <xs:element name="OrgnlNbOfTxs" type="Max15NumericText" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="PaymentTransaction110">
    <xs:sequence>
      <xs:element name="StsId" type="Max35Text" minOccurs="0"/>
      <xs:element name="OrgnlInstrId" type="Max35Text" minOccurs="0"/>
      <xs:element name="OrgnlEndToEndId" type="Max35Text" minOccurs="0"/>
      <xs:element name="OrgnlTxId" type="Max35Text" minOccurs="0"/>
      <xs:element name="OrgnlUETR" type="UUIDv4Identifier"/>
      <xs:element name="TxSts" type="ExternalPaymentTransactionStatus1Code"/>
      <xs:element name="StsRsnInf" type="StatusReasonInformation12" minOccurs="0"/>
      <xs:element name="AccptncDtTm" type="ISODateTime" minOccurs="0"/>
      <xs:element name="InstgAgt" type="BranchAndFinancialInstitutionIdentification6" minOccurs="0"/>
      <xs:element name="InstdAgt" type="BranchAndFinancialInstitutionIdentification6" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="StatusReasonInformation12">
    <xs:sequence>
      <xs:element name="Rsn" type="StatusReason6Choice" minOccurs="0"/>
      <xs:element name="AddtlInf" type="Max105Text" minOccurs="0" maxOccurs="2"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="StatusReason6Choice">
    <xs:choice>
      <xs:element name="Cd" type="ExternalStatusReason1Code"/>
      <xs:element name="Prtry" type="Max35Text"/>
    </xs:choice>
  </xs:complexType>

  <xs:simpleType name="ExternalPaymentTransactionStatus1Code">
    <xs:restriction base="xs:string">
      <xs:enumeration value="ACCC"/><xs:enumeration value="ACCP"/><xs:enumeration value="ACSC"/>
      <xs:enumeration value="ACSP"/><xs:enumeration value="ACTC"/><xs:enumeration value="ACWC"/>
      <xs:enumeration value="ACWP"/><xs:enumeration value="BLCK"/><xs:enumeration value="PDNG"/>
      <xs:enumeration value="RCVD"/><xs:enumeration value="RJCT"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="ExternalStatusReason1Code">
    <xs:restriction base="xs:string"><xs:pattern value="[A-Z0-9]{4}"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="Max15NumericText">
    <xs:restriction base="xs:string"><xs:pattern value="[0-9]{1,15}"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="Max105Text">
    <xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="105"/></xs:restriction>
  </xs:simpleType>
${ISO20022_COMMON_TYPES_XSD}</xs:schema>
`
