/*
 * problem.c - the catalogue of findings.  The id strings are the stable
 * machine-readable codes of the JSON output: append-only, never renamed.
 * A unit test checks that every enum value has a row, that ids are
 * unique and snake_case.
 */
#include "cd_internal.h"

struct prob_row {
	enum cd_prob code;
	const char *id;
	cd_status sev;
	const char *summary;
};

static const struct prob_row rows[] = {
	{CD_P_CERT_EXPIRED, "cert_expired", CD_ST_CRITICAL,
	    "a certificate in the chain is past notAfter"},
	{CD_P_CERT_NOT_YET_VALID, "cert_not_yet_valid", CD_ST_CRITICAL,
	    "a certificate is before notBefore"},
	{CD_P_CERT_EXPIRING, "cert_expiring", CD_ST_WARNING,
	    "fewer days (or % of lifetime) left than the threshold"},
	{CD_P_HOSTNAME_MISMATCH, "hostname_mismatch", CD_ST_CRITICAL,
	    "the leaf does not cover the name checked"},
	{CD_P_SAN_MISSING, "san_missing", CD_ST_CRITICAL,
	    "a name from --require-san is not covered"},
	{CD_P_CHAIN_UNTRUSTED, "chain_untrusted", CD_ST_CRITICAL,
	    "no path to a trust anchor"},
	{CD_P_CHAIN_INCOMPLETE, "chain_incomplete", CD_ST_CRITICAL,
	    "an intermediate is missing from what the server sends"},
	{CD_P_CHAIN_ORDER, "chain_order", CD_ST_WARNING,
	    "the served certificates are not in leaf-to-root order"},
	{CD_P_CHAIN_ROOT_SENT, "chain_root_sent", CD_ST_OK,
	    "the server also sends the root (harmless, wasteful)"},
	{CD_P_SELF_SIGNED, "self_signed", CD_ST_CRITICAL,
	    "the leaf is self-signed"},
	{CD_P_WEAK_SIGNATURE, "weak_signature", CD_ST_CRITICAL,
	    "SHA-1 or MD5 signature on a non-root certificate"},
	{CD_P_WEAK_KEY, "weak_key", CD_ST_WARNING,
	    "RSA key under 2048 bits, or an equally weak key"},
	{CD_P_KEY_MISMATCH, "key_mismatch", CD_ST_CRITICAL,
	    "the private key does not belong to the leaf"},
	{CD_P_TLS_OLD_PROTOCOL, "tls_old_protocol", CD_ST_WARNING,
	    "the server accepts TLS 1.0 or 1.1"},
	{CD_P_OCSP_REVOKED, "ocsp_revoked", CD_ST_CRITICAL,
	    "the stapled OCSP response says revoked"},
	{CD_P_DNS_FAILED, "dns_failed", CD_ST_CRITICAL,
	    "the name could not be resolved"},
	{CD_P_CONNECT_FAILED, "connect_failed", CD_ST_CRITICAL,
	    "TCP connect refused or unreachable"},
	{CD_P_TIMEOUT, "timeout", CD_ST_CRITICAL,
	    "the deadline passed"},
	{CD_P_TLS_HANDSHAKE_FAILED, "tls_handshake_failed", CD_ST_CRITICAL,
	    "the TLS handshake failed"},
	{CD_P_CAA_FORBIDS_ISSUER, "caa_forbids_issuer", CD_ST_CRITICAL,
	    "the relevant CAA set does not authorize the CA"},
	{CD_P_CAA_CRITICAL_UNKNOWN, "caa_critical_unknown", CD_ST_CRITICAL,
	    "an unknown CAA tag with the critical flag"},
	{CD_P_CAA_DNS_ERROR, "caa_dns_error", CD_ST_CRITICAL,
	    "a DNS failure that makes the CA refuse"},
	{CD_P_CAA_MALFORMED_RECORD, "caa_malformed_record", CD_ST_WARNING,
	    "a CAA record the CA will treat as authorizing nobody"},
	{CD_P_HTTP01_NO_ADDRESS, "http01_no_address", CD_ST_CRITICAL,
	    "no usable A/AAAA address"},
	{CD_P_HTTP01_CONNECT_TIMEOUT, "http01_connect_timeout",
	    CD_ST_CRITICAL, "timeout during connect (likely firewall problem)"},
	{CD_P_HTTP01_CONNECTION_REFUSED, "http01_connection_refused",
	    CD_ST_CRITICAL, "connection refused"},
	{CD_P_HTTP01_BAD_STATUS, "http01_bad_status", CD_ST_CRITICAL,
	    "final HTTP status is not 200"},
	{CD_P_HTTP01_BODY_MISMATCH, "http01_body_mismatch", CD_ST_CRITICAL,
	    "body differs from the key authorization"},
	{CD_P_HTTP01_BODY_TOO_LARGE, "http01_body_too_large", CD_ST_CRITICAL,
	    "body of 128 bytes or more"},
	{CD_P_HTTP01_BAD_REDIRECT, "http01_bad_redirect", CD_ST_CRITICAL,
	    "a redirect the CA will not follow"},
	{CD_P_HTTP01_TOO_MANY_REDIRECTS, "http01_too_many_redirects",
	    CD_ST_CRITICAL, "more redirects than the CA follows"},
	{CD_P_HTTP01_REDIRECT_LOOP, "http01_redirect_loop", CD_ST_CRITICAL,
	    "a redirect URL repeats"},
	{CD_P_HTTP01_UNEXPECTED_STATUS, "http01_unexpected_status",
	    CD_ST_WARNING, "final status neither 200 nor 404"},
	{CD_P_INTERMEDIATE_EXPIRES_FIRST, "intermediate_expires_first",
	    CD_ST_WARNING, "an intermediate expires before the leaf"},
	{CD_P_DNS_UNREACHABLE, "dns_unreachable", CD_ST_UNKNOWN,
	    "no DNS server answered, so nothing could be checked"},
	{CD_P_CHECK_ERROR, "check_error", CD_ST_UNKNOWN,
	    "the check itself failed (resources, bad input)"},
	{CD_P_CHAIN_EXTRA_CERT, "chain_extra_cert", CD_ST_WARNING,
	    "the server sends a certificate that is not part of the chain"},
	{CD_P_OCSP_STAPLE_INVALID, "ocsp_staple_invalid", CD_ST_WARNING,
	    "the stapled OCSP response cannot be used"},
	{CD_P_HTTP01_WILDCARD, "http01_wildcard", CD_ST_CRITICAL,
	    "a wildcard name cannot be validated with http-01"},
	{CD_P_HTTP01_DNS_ERROR, "http01_dns_error", CD_ST_CRITICAL,
	    "the CA cannot resolve the name (DNS problem)"},
	{CD_P_HTTP01_CONNECTION_FAILED, "http01_connection_failed",
	    CD_ST_CRITICAL, "connection reset, unreachable or not HTTP"},
	{CD_P_HTTP01_TIMEOUT, "http01_timeout", CD_ST_CRITICAL,
	    "timeout after connect (server slow or overloaded)"},
	{CD_P_HTTP01_TLS_ERROR, "http01_tls_error", CD_ST_CRITICAL,
	    "TLS failure on an https redirect target"},
	{CD_P_HTTP01_SUSPICIOUS, "http01_suspicious_response", CD_ST_WARNING,
	    "the response looks like a router, firewall or bot filter"},
	{CD_P_HTTP01_ADDRESS_DISCREPANCY, "http01_address_discrepancy",
	    CD_ST_WARNING, "the host's addresses answer differently"},
	{CD_P_ADDRESS_CERT_DIFFERS, "address_cert_differs", CD_ST_WARNING,
	    "this address serves another certificate than the name's other "
	    "addresses"},
	{CD_P_TLS_PROBE_FAILED, "tls_probe_failed", CD_ST_UNKNOWN,
	    "a --protocols probe could not tell whether a TLS version is "
	    "accepted"},
	{CD_P_TLS_NO_MODERN_PROTOCOL, "tls_no_modern_protocol",
	    CD_ST_CRITICAL, "the server accepts neither TLS 1.2 nor TLS 1.3"},
	{CD_P_STARTTLS_REFUSED, "starttls_refused", CD_ST_CRITICAL,
	    "the server refused STARTTLS (its reply is quoted)"},
	{CD_P_STARTTLS_FAILED, "starttls_failed", CD_ST_CRITICAL,
	    "the server does not speak the --starttls protocol as expected"},
	{CD_P_OCSP_UNKNOWN, "ocsp_unknown", CD_ST_WARNING,
	    "the stapled OCSP response says the status is unknown"},
	{CD_P_OCSP_STALE, "ocsp_stale", CD_ST_WARNING,
	    "the stapled OCSP response is past its nextUpdate"},
	{CD_P_OCSP_MUST_STAPLE_MISSING, "ocsp_must_staple_missing",
	    CD_ST_WARNING, "a must-staple certificate is served without a "
	    "staple"},
	{CD_P_CRL_REVOKED, "crl_revoked", CD_ST_CRITICAL,
	    "the issuer's CRL lists the certificate as revoked"},
	{CD_P_CRL_UNAVAILABLE, "crl_unavailable", CD_ST_WARNING,
	    "the CRL could not be fetched (--crl)"},
	{CD_P_CRL_INVALID, "crl_invalid", CD_ST_WARNING,
	    "the CRL is unparsable or not signed by the certificate's issuer"},
	{CD_P_CRL_STALE, "crl_stale", CD_ST_WARNING,
	    "the CRL is past its nextUpdate"},
	{CD_P_CRL_TOO_LARGE, "crl_too_large", CD_ST_WARNING,
	    "the CRL is larger than certcheck reads (10 MiB)"},
	{CD_P_CRL_NO_DISTRIBUTION_POINT, "crl_no_distribution_point",
	    CD_ST_OK, "the certificate names no HTTP CRL distribution point"},
	{CD_P_DNSSEC_BOGUS, "dnssec_bogus", CD_ST_CRITICAL,
	    "the CA's validating resolver rejects the answer (DNSSEC)"},
	{CD_P_NS_UNREACHABLE, "ns_unreachable", CD_ST_WARNING,
	    "an authoritative server address does not answer"},
	{CD_P_NS_LAME, "ns_lame", CD_ST_WARNING,
	    "a server listed as authoritative does not answer for the zone"},
	{CD_P_NS_INCONSISTENT, "ns_inconsistent", CD_ST_WARNING,
	    "authoritative servers give different answers to one query"},
	{CD_P_NS_BAD_NEGATIVE, "ns_bad_negative", CD_ST_WARNING,
	    "a NODATA/NXDOMAIN answer without the zone's SOA"},
	{CD_P_NS_BAD_CAA_HANDLING, "ns_bad_caa_handling", CD_ST_CRITICAL,
	    "a server refuses or drops CAA queries while it answers others"},
	{CD_P_NS_EDNS_BROKEN, "ns_edns_broken", CD_ST_WARNING,
	    "a server mishandles EDNS(0)"},
	{CD_P_NS_CASE_MANGLED, "ns_case_mangled", CD_ST_WARNING,
	    "a server does not echo the query name's letter case"},
	{CD_P_RESOLVER_DISAGREES, "resolver_disagrees", CD_ST_WARNING,
	    "your resolver and the CA's view give different answers"},
	{CD_P_CA_VIEW_UNAVAILABLE, "ca_view_unavailable", CD_ST_UNKNOWN,
	    "the CA's view of DNS could not be made (no root or server "
	    "reachable)"},
	{CD_P_CA_VIEW_OFF, "ca_view_off", CD_ST_OK,
	    "--no-ca-view: blind to DNSSEC and nameserver faults"},
	{CD_P_CA_VIEW_STUB, "ca_view_stub", CD_ST_OK,
	    "--dns-server stands in for the CA's resolver"},
	{CD_P_CRL_SKIPPED, "crl_skipped", CD_ST_OK,
	    "the CRL was not fetched (untrusted chain or reserved address)"},
	{CD_P_TLSALPN01_NO_ALPN, "tlsalpn01_no_alpn", CD_ST_CRITICAL,
	    "the server does not negotiate ALPN acme-tls/1 (informational "
	    "without --key-authorization)"},
	{CD_P_TLSALPN01_BAD_CERT, "tlsalpn01_bad_cert", CD_ST_CRITICAL,
	    "the tls-alpn-01 challenge certificate is not the one the CA "
	    "expects"},
	{CD_P_TLSALPN01_CONNECT_FAILED, "tlsalpn01_connect_failed",
	    CD_ST_CRITICAL, "the CA could not connect or complete the "
	    "TLS handshake on the tls-alpn-01 port"},
	{CD_P_TLSALPN01_TIMEOUT, "tlsalpn01_timeout", CD_ST_CRITICAL,
	    "the tls-alpn-01 connection or handshake timed out"},
	{CD_P_TLSALPN01_DNS_ERROR, "tlsalpn01_dns_error", CD_ST_CRITICAL,
	    "the CA cannot find a usable address for the name"},
	{CD_P_DNS01_NO_TXT, "dns01_no_txt", CD_ST_CRITICAL,
	    "the CA's resolver finds no TXT record at the challenge name"},
	{CD_P_DNS01_WRONG_TXT, "dns01_wrong_txt", CD_ST_CRITICAL,
	    "TXT records at the challenge name, none with the expected "
	    "value"},
	{CD_P_DNS01_DNS_ERROR, "dns01_dns_error", CD_ST_CRITICAL,
	    "the CA's TXT lookup of the challenge name fails"},
	{CD_P_DNS01_NOT_PROPAGATED, "dns01_not_propagated", CD_ST_CRITICAL,
	    "an authoritative server of the challenge zone lacks the value "
	    "(the CA's resolvers pick servers at random)"},
	{CD_P_DNS01_CNAME_DANGLING, "dns01_cname_dangling", CD_ST_CRITICAL,
	    "the challenge name is a CNAME to a name that does not exist"},
	{CD_P_DNSPERSIST_NO_RECORD, "dnspersist_no_record", CD_ST_CRITICAL,
	    "no dns-persist-01 record for this CA at _validation-persist"},
	{CD_P_DNSPERSIST_MALFORMED, "dnspersist_malformed", CD_ST_CRITICAL,
	    "a dns-persist-01 record for this CA is malformed"},
	{CD_P_DNSPERSIST_ACCOUNT_MISMATCH, "dnspersist_account_mismatch",
	    CD_ST_CRITICAL, "the dns-persist-01 record authorizes another "
	    "ACME account"},
	{CD_P_DNSPERSIST_POLICY_MISMATCH, "dnspersist_policy_mismatch",
	    CD_ST_CRITICAL, "a wildcard name without policy=wildcard in the "
	    "dns-persist-01 record"},
	{CD_P_DNSPERSIST_EXPIRED, "dnspersist_expired", CD_ST_CRITICAL,
	    "the dns-persist-01 record's persistUntil has passed (a warning "
	    "when it passes within a certificate's lifetime)"},
	{CD_P_ISSUER_MISMATCH, "issuer_mismatch", CD_ST_CRITICAL,
	    "neither the leaf's issuer nor an intermediate matches --issuer"},
	{CD_P_FINGERPRINT_MISMATCH, "fingerprint_mismatch", CD_ST_CRITICAL,
	    "the leaf's SHA-256 fingerprint is not one pinned with "
	    "--fingerprint"},
	{CD_P_VALIDITY_TOO_LONG, "validity_too_long", CD_ST_WARNING,
	    "the leaf's lifetime exceeds --max-validity"},
	{CD_P_PROXY_FAILED, "proxy_failed", CD_ST_UNKNOWN,
	    "the --proxy could not be reached, refused the tunnel or did "
	    "not speak HTTP"},
	{CD_P_CLIENT_CERT_REQUIRED, "client_cert_required", CD_ST_OK,
	    "the server asks for a client certificate and none was given "
	    "(the chain it sent is still checked)"},
	{CD_P_SCT_INSUFFICIENT, "sct_insufficient", CD_ST_WARNING,
	    "the leaf carries SCTs from fewer Certificate Transparency logs "
	    "than browsers demand for its lifetime"},
	{CD_P_DANE_MISMATCH, "dane_mismatch", CD_ST_CRITICAL,
	    "no DNSSEC-signed TLSA record matches the chain the server "
	    "sent"},
	{CD_P_DANE_UNSIGNED, "dane_unsigned", CD_ST_WARNING,
	    "TLSA records are published in a zone that is not "
	    "DNSSEC-signed, so clients ignore them"},
	{CD_P_DANE_NO_RECORDS, "dane_no_records", CD_ST_CRITICAL,
	    "--dane=required and no TLSA records are published"},
};

static const struct prob_row *
row(enum cd_prob code)
{
	size_t i;

	/* The table is in enum order; the scan guards against a slip. */
	if ((size_t)code < CD_ARRAY_LEN(rows) && rows[code].code == code)
		return &rows[code];
	for (i = 0; i < CD_ARRAY_LEN(rows); i++)
		if (rows[i].code == code)
			return &rows[i];
	return NULL;
}

const char *
cd_problem_name(enum cd_prob code)
{
	const struct prob_row *r = row(code);

	return r ? r->id : NULL;
}

cd_status
cd_problem_default_sev(enum cd_prob code)
{
	const struct prob_row *r = row(code);

	return r ? r->sev : CD_ST_UNKNOWN;
}

const char *
cd_problem_summary(enum cd_prob code)
{
	const struct prob_row *r = row(code);

	return r ? r->summary : NULL;
}
