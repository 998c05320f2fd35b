/**
 * Junction's XSD for pacs.008.001.08 (FI-to-FI customer credit transfer), a SUBSET written for Junction
 * from the ISO 20022 message definition: the element names, their order and the data types (patterns,
 * lengths, code lists) follow the standard; what Junction does not use is left out, and an element left
 * out is refused by validation (it is not ignored). It is not the official schema file and is not a copy
 * of it. Stricter than the standard in four places, as the SWIFT CBPR+ usage guidelines are: one
 * transaction per message (`NbOfTxs` = 1, one `CdtTrfTxInf`), `UETR` mandatory, `BICFI` mandatory in
 * every agent, and `DbtrAcct` / `CdtrAcct` mandatory (Junction debits and credits accounts).
 *
 * Covered (docs/payments.md lists the same):
 * - `Document` / `FIToFICstmrCdtTrf` (FIToFICustomerCreditTransferV08)
 * - `GrpHdr` (GroupHeader93): `MsgId`, `CreDtTm`, `NbOfTxs`, `TtlIntrBkSttlmAmt`?, `IntrBkSttlmDt`?,
 *   `SttlmInf` (SettlementInstruction7: `SttlmMtd`, `ClrSys`?), `InstgAgt`?, `InstdAgt`?
 * - `CdtTrfTxInf` (CreditTransferTransaction39): `PmtId` (PaymentIdentification7: `InstrId`?,
 *   `EndToEndId`, `TxId`?, `UETR`), `IntrBkSttlmAmt` (ActiveCurrencyAndAmount), `IntrBkSttlmDt`?,
 *   `SttlmTmReq`? (SettlementTimeRequest2: `CLSTm`?, `TillTm`?, `FrTm`?, `RjctTm`?; Junction reads `RjctTm`),
 *   `InstdAmt`? (ActiveOrHistoricCurrencyAndAmount), `ChrgBr`, `InstgAgt`?, `InstdAgt`?, `Dbtr`,
 *   `DbtrAcct`, `DbtrAgt`, `CdtrAgt`, `Cdtr`, `CdtrAcct`, `Purp`?, `RmtInf`? (`Ustrd` only)
 * - parties (PartyIdentification135: `Nm`?, `PstlAdr`?, `CtryOfRes`?), postal addresses (PostalAddress24:
 *   `StrtNm`?, `BldgNb`?, `PstCd`?, `TwnNm`?, `Ctry`?, `AdrLine`*), accounts (CashAccount38: `Id` with
 *   `IBAN` or `Othr`/`Id`, `Ccy`?, `Nm`?), agents (BranchAndFinancialInstitutionIdentification6 /
 *   FinancialInstitutionIdentification18: `BICFI`, `LEI`?, `Nm`?, `PstlAdr`?)
 */
import { ISO20022_COMMON_TYPES_XSD } from './iso20022Types.js'

export const PACS008_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08'

export const PACS008_SUBSET_XSD = `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns="${PACS008_NAMESPACE}"
           targetNamespace="${PACS008_NAMESPACE}"
           elementFormDefault="qualified">
  <xs:element name="Document" type="Document"/>
  <xs:complexType name="Document">
    <xs:sequence><xs:element name="FIToFICstmrCdtTrf" type="FIToFICustomerCreditTransferV08"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="FIToFICustomerCreditTransferV08">
    <xs:sequence>
      <xs:element name="GrpHdr" type="GroupHeader93"/>
      <xs:element name="CdtTrfTxInf" type="CreditTransferTransaction39"/>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="GroupHeader93">
    <xs:sequence>
      <xs:element name="MsgId" type="Max35Text"/>
      <xs:element name="CreDtTm" type="ISODateTime"/>
      <xs:element name="NbOfTxs" type="OneTransaction"/>
      <xs:element name="TtlIntrBkSttlmAmt" type="ActiveCurrencyAndAmount" minOccurs="0"/>
      <xs:element name="IntrBkSttlmDt" type="ISODate" minOccurs="0"/>
      <xs:element name="SttlmInf" type="SettlementInstruction7"/>
      <xs:element name="InstgAgt" type="BranchAndFinancialInstitutionIdentification6" minOccurs="0"/>
      <xs:element name="InstdAgt" type="BranchAndFinancialInstitutionIdentification6" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="SettlementInstruction7">
    <xs:sequence>
      <xs:element name="SttlmMtd" type="SettlementMethod1Code"/>
      <xs:element name="ClrSys" type="ClearingSystemIdentification3Choice" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="ClearingSystemIdentification3Choice">
    <xs:choice>
      <xs:element name="Cd" type="ExternalCode"/>
      <xs:element name="Prtry" type="Max35Text"/>
    </xs:choice>
  </xs:complexType>

  <xs:complexType name="CreditTransferTransaction39">
    <xs:sequence>
      <xs:element name="PmtId" type="PaymentIdentification7"/>
      <xs:element name="IntrBkSttlmAmt" type="ActiveCurrencyAndAmount"/>
      <xs:element name="IntrBkSttlmDt" type="ISODate" minOccurs="0"/>
      <xs:element name="SttlmTmReq" type="SettlementTimeRequest2" minOccurs="0"/>
      <xs:element name="InstdAmt" type="ActiveOrHistoricCurrencyAndAmount" minOccurs="0"/>
      <xs:element name="ChrgBr" type="ChargeBearerType1Code"/>
      <xs:element name="InstgAgt" type="BranchAndFinancialInstitutionIdentification6" minOccurs="0"/>
      <xs:element name="InstdAgt" type="BranchAndFinancialInstitutionIdentification6" minOccurs="0"/>
      <xs:element name="Dbtr" type="PartyIdentification135"/>
      <xs:element name="DbtrAcct" type="CashAccount38"/>
      <xs:element name="DbtrAgt" type="BranchAndFinancialInstitutionIdentification6"/>
      <xs:element name="CdtrAgt" type="BranchAndFinancialInstitutionIdentification6"/>
      <xs:element name="Cdtr" type="PartyIdentification135"/>
      <xs:element name="CdtrAcct" type="CashAccount38"/>
      <xs:element name="Purp" type="Purpose2Choice" minOccurs="0"/>
      <xs:element name="RmtInf" type="RemittanceInformation16" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="SettlementTimeRequest2">
    <xs:sequence>
      <xs:element name="CLSTm" type="ISOTime" minOccurs="0"/>
      <xs:element name="TillTm" type="ISOTime" minOccurs="0"/>
      <xs:element name="FrTm" type="ISOTime" minOccurs="0"/>
      <xs:element name="RjctTm" type="ISOTime" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:simpleType name="ISOTime"><xs:restriction base="xs:time"/></xs:simpleType>
  <xs:complexType name="PaymentIdentification7">
    <xs:sequence>
      <xs:element name="InstrId" type="Max35Text" minOccurs="0"/>
      <xs:element name="EndToEndId" type="Max35Text"/>
      <xs:element name="TxId" type="Max35Text" minOccurs="0"/>
      <xs:element name="UETR" type="UUIDv4Identifier"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Purpose2Choice">
    <xs:choice>
      <xs:element name="Cd" type="ExternalCode"/>
      <xs:element name="Prtry" type="Max35Text"/>
    </xs:choice>
  </xs:complexType>
  <xs:complexType name="RemittanceInformation16">
    <xs:sequence>
      <xs:element name="Ustrd" type="Max140Text" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="PartyIdentification135">
    <xs:sequence>
      <xs:element name="Nm" type="Max140Text" minOccurs="0"/>
      <xs:element name="PstlAdr" type="PostalAddress24" minOccurs="0"/>
      <xs:element name="CtryOfRes" type="CountryCode" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="CashAccount38">
    <xs:sequence>
      <xs:element name="Id" type="AccountIdentification4Choice"/>
      <xs:element name="Ccy" type="ActiveOrHistoricCurrencyCode" minOccurs="0"/>
      <xs:element name="Nm" type="Max70Text" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="AccountIdentification4Choice">
    <xs:choice>
      <xs:element name="IBAN" type="IBAN2007Identifier"/>
      <xs:element name="Othr" type="GenericAccountIdentification1"/>
    </xs:choice>
  </xs:complexType>
  <xs:complexType name="GenericAccountIdentification1">
    <xs:sequence><xs:element name="Id" type="Max34Text"/></xs:sequence>
  </xs:complexType>

  <xs:complexType name="ActiveCurrencyAndAmount">
    <xs:simpleContent>
      <xs:extension base="ActiveCurrencyAndAmount_SimpleType">
        <xs:attribute name="Ccy" type="ActiveCurrencyCode" use="required"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>
  <xs:complexType name="ActiveOrHistoricCurrencyAndAmount">
    <xs:simpleContent>
      <xs:extension base="ActiveCurrencyAndAmount_SimpleType">
        <xs:attribute name="Ccy" type="ActiveOrHistoricCurrencyCode" use="required"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>
  <xs:simpleType name="ActiveCurrencyAndAmount_SimpleType">
    <xs:restriction base="xs:decimal">
      <xs:fractionDigits value="5"/>
      <xs:totalDigits value="18"/>
      <xs:minInclusive value="0"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="ActiveCurrencyCode">
    <xs:restriction base="xs:string"><xs:pattern value="[A-Z]{3,3}"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="ActiveOrHistoricCurrencyCode">
    <xs:restriction base="xs:string"><xs:pattern value="[A-Z]{3,3}"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="IBAN2007Identifier">
    <xs:restriction base="xs:string"><xs:pattern value="[A-Z]{2,2}[0-9]{2,2}[a-zA-Z0-9]{1,30}"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="SettlementMethod1Code">
    <xs:restriction base="xs:string">
      <xs:enumeration value="INDA"/><xs:enumeration value="INGA"/><xs:enumeration value="COVE"/><xs:enumeration value="CLRG"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="ChargeBearerType1Code">
    <xs:restriction base="xs:string">
      <xs:enumeration value="DEBT"/><xs:enumeration value="CRED"/><xs:enumeration value="SHAR"/><xs:enumeration value="SLEV"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="OneTransaction">
    <xs:restriction base="xs:string"><xs:pattern value="1"/></xs:restriction>
  </xs:simpleType>
${ISO20022_COMMON_TYPES_XSD}</xs:schema>
`
