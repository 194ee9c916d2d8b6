"""A bank's pain.002 rejects and camt.054 returns become per-collection outcomes with their reason code."""

import pytest

from verenigingen.core.sepa.bank_return import REJECTED, REVERSED, ReturnedCollection, parse_bank_return

PAIN002 = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
<GrpHdr><MsgId>R1</MsgId></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>M1</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>P1</OrgnlPmtInfId>
 <TxInfAndSts><OrgnlEndToEndId>DDB-00001-1</OrgnlEndToEndId><TxSts>RJCT</TxSts>
  <StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts>
 <TxInfAndSts><OrgnlEndToEndId>DDB-00001-2</OrgnlEndToEndId><TxSts>ACCP</TxSts></TxInfAndSts>
 <TxInfAndSts><OrgnlEndToEndId>DDB-00001-3</OrgnlEndToEndId><TxSts>RJCT</TxSts>
  <StsRsnInf><Rsn><Cd>MD01</Cd></Rsn></StsRsnInf></TxInfAndSts>
</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>"""

CAMT054 = b"""<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn><Ntfctn><Ntry>
<NtryDtls><TxDtls><Refs><EndToEndId>DDB-00001-4</EndToEndId></Refs>
<RtrInf><Rsn><Cd>MD06</Cd></Rsn></RtrInf></TxDtls>
<TxDtls><Refs><EndToEndId>DDB-00001-5</EndToEndId></Refs></TxDtls></NtryDtls>
</Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"""


def test_pain002_rejects_only():
	"""RJCT transactions with their reason; accepted ones are not outcomes to record."""
	assert parse_bank_return(PAIN002) == [
		ReturnedCollection("DDB-00001-1", REJECTED, "AC04"),
		ReturnedCollection("DDB-00001-3", REJECTED, "MD01"),
	]


def test_camt054_returns_are_reversals():
	assert parse_bank_return(CAMT054.decode()) == [ReturnedCollection("DDB-00001-4", REVERSED, "MD06")]


def test_unreadable_file_is_refused():
	with pytest.raises(ValueError):
		parse_bank_return(b"IBAN;bedrag\nNL91ABNA0417164300;7,50")
