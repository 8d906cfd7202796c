/*
 * opts.h - the options behind the opaque struct cd_opts: the checks read
 * these fields; callers reach them only through cd_opts_set().
 */
#ifndef CD_OPTS_H
#define CD_OPTS_H

#include "certdiag.h"

struct cd_opts {
	int timeout_ms;		/* per target; default 10000 */
	int family;		/* 0 any, 4 or 6 */
	const char *dns_servers;	/* as given, or NULL for resolv.conf */
	int verbose;
	time_t now;		/* "now" for expiry arithmetic; 0 = time() */

	/* certcheck */
	const char *cafile;	/* NULL: the system store */
	const char *sni;
	const char *connect_to;
	struct cd_range warn;	/* default 30% */
	struct cd_range crit;	/* default 10% */
	const char *require_san;	/* comma-separated, or NULL */
	const char *cert_file;	/* local mode */
	const char *key_file;
	const char *name;
	bool protocols;		/* probe each TLS version (--protocols) */
	enum cd_starttls starttls;	/* preamble before the handshake */
	bool crl;		/* --crl: fetch the leaf's CRL and look it up */

	/* caacheck */
	const char *ca;		/* issuer domain; default "letsencrypt.org" */
	const char *account_uri;	/* or NULL */
	const char *method;	/* default "http-01" */

	/* http01check */
	const char *token;	/* NULL: a random one */
	const char *expect;	/* key authorization to compare, or NULL */
	const char *webroot;	/* self-test directory, or NULL */
	unsigned http_port;	/* stands for 80 (default 80) */
	unsigned https_port;	/* stands for 443 (default 443) */
	bool allow_reserved;	/* lab mode */
	bool all_addresses;	/* http01check; certcheck: a report each */

	/* The CA's resolver view (caacheck, http01check). */
	const char *root_hints;	/* NULL: the system's (dns-root-data) */
	const char *trust_anchor;	/* NULL: the system's root key;
					 * "none": no validation */
	bool no_ca_view;	/* ask only the stub resolver */

	/* tlsalpn01check */
	const char *key_authorization;	/* judge the certificate, or NULL */
	unsigned tls_port;	/* stands for 443 (default 443) */

	/*
	 * certcheck: a percentage warn/crit never asks for more than this
	 * many days (0: no cap).  The defaults, 30% capped at 30 days and
	 * 10% at 10, suit 6-day ACME and 397-day commercial certificates
	 * alike; a -w/-c the user gives sets its cap to 0.
	 */
	double warn_cap_days;	/* default 30 */
	double crit_cap_days;	/* default 10 */

	/*
	 * Every check: the operator's verdict policy.  ignore,
	 * "CODE[,CODE...]": those problems stay in the report, marked
	 * ignored, and leave the status; severity, "CODE:LEVEL[,...]"
	 * (LEVEL ok, warning or critical): those problems take LEVEL.
	 * cd_ctx_new() refuses an unknown code or level (CD_E_USAGE).
	 */
	const char *ignore;
	const char *severity;

	/*
	 * certcheck, the operator's expectations of the leaf: issuer, a
	 * pattern matched (substring, any case) against the leaf's issuer
	 * DN and its intermediates' subjects; fingerprints, the SHA-256
	 * fingerprints it may have ("AB:CD..." or "abcd...", comma-
	 * separated; cd_ctx_new() refuses a malformed one); max_validity,
	 * the longest lifetime in days it may have (0: any).
	 */
	const char *issuer;
	const char *fingerprints;
	double max_validity;

	/*
	 * certcheck and http01check: reach the server through this HTTP
	 * CONNECT proxy, "http://[USER:PASSWORD@]HOST[:PORT]" (NULL:
	 * directly).  cd_ctx_new() refuses a malformed one.
	 */
	const char *proxy;

	/*
	 * certcheck: the client certificate to present (PEM; the key may
	 * be in client_cert itself), and the password of the PKCS#12
	 * files a local check reads (NULL: none).
	 */
	const char *client_cert;
	const char *client_key;
	const char *pkcs12_password;

	/*
	 * certcheck: when to judge the leaf's embedded SCTs, and the CT
	 * log list to attribute them with (NULL: the one shipped with
	 * certdiag; cd_ctx_new() refuses one it cannot read).
	 */
	enum cd_ct_mode ct;
	const char *ct_logs;

	/*
	 * certcheck: match the chain against the TLSA records of
	 * _PORT._tcp.HOST (--dane).  CD_DANE_AUTO judges them when they
	 * are published; CD_DANE_REQUIRED makes their absence CRITICAL.
	 */
	enum cd_dane dane;

	/*
	 * Owned: each option's value as last given (a flag: ""), which
	 * cd_opts_get() answers and the string fields above point into;
	 * and the message of the last refused cd_opts_set().
	 */
	char *raw[CD_OPT__COUNT];
	char *pkcs12_password_owned;
	struct cd_err last;
};

/* The contract's defaults, nothing owned. */
void cd_opts_defaults(struct cd_opts *o);

/* dst := a deep copy of src (dst owns its strings); CD_E_NOMEM. */
cd_rc cd_opts_copy(struct cd_opts *dst, const struct cd_opts *src,
    struct cd_err *err);

/* Free what o owns (not o itself). */
void cd_opts_release(struct cd_opts *o);

#endif
