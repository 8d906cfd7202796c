/*
 * certdiag.h - the public interface of libcertdiag.
 *
 * This is the only installed header.  It exposes no GnuTLS, c-ares,
 * libcurl or jansson type, so tools and tests never include those
 * libraries' headers.
 *
 * Conventions:
 *  - every fallible function returns a cd_rc and takes a struct cd_err *
 *    last; NULL is allowed there;
 *  - an out-parameter is written only on CD_OK and the caller owns it;
 *  - getters return const pointers borrowed from their parent, valid until
 *    the parent is freed;
 *  - findings about a site (an expired certificate, a refused connection)
 *    are problems in a report, never a cd_rc.
 */
#ifndef CERTDIAG_H
#define CERTDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(CD_BUILDING_LIB) && defined(__GNUC__)
#define CD_API __attribute__((visibility("default")))
#else
#define CD_API
#endif

#define CD_VERSION_STR "0.1.0"
#define CD_VERSION_NUM 0x000100
/*
 * "format_version" in every JSON object: raised only when a field changes
 * meaning or disappears; new fields do not raise it.
 */
#define CD_JSON_FORMAT_VERSION 1

/* ------------------------------------------------------------------ */
/* Operational result codes.  Explicit values, append-only.           */

typedef enum cd_rc {
	CD_OK = 0,
	CD_E_NOMEM = 1,
	CD_E_USAGE = 2,		/* bad argument or option value */
	CD_E_PARSE = 3,		/* malformed input: target, PEM, range, DNS */
	CD_E_TIMEOUT = 4,	/* deadline reached */
	CD_E_DNS = 5,		/* the name could not be resolved */
	CD_E_CONNECT = 6,	/* TCP connect refused or unreachable */
	CD_E_TLS = 7,		/* handshake or session failure */
	CD_E_HTTP = 8,
	CD_E_IO = 9,		/* local files */
	CD_E_INTERNAL = 10,
	CD_E_DNS_UNREACHABLE = 11, /* no DNS server answered at all */
	CD_E_CANCELLED = 12,	/* cd_cancel() was called */
	CD_E__LAST		/* never use */
} cd_rc;

#define CD_ERR_LEN 256

/* Detail of a failure: the deepest layer writes "object: cause". */
struct cd_err {
	cd_rc rc;
	const char *lib;	/* "gnutls", "c-ares", ... or NULL */
	int lib_code;		/* that library's own error value */
	char msg[CD_ERR_LEN];
};

/* Static English text for rc; never NULL. */
CD_API const char *cd_strerror(cd_rc rc);

/* ------------------------------------------------------------------ */
/* Status: the values are the Nagios exit codes.                       */

typedef enum cd_status {
	CD_ST_OK = 0,
	CD_ST_WARNING = 1,
	CD_ST_CRITICAL = 2,
	CD_ST_UNKNOWN = 3
} cd_status;

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
CD_API const char *cd_status_name(cd_status st);

/*
 * The worse of a and b in the order OK < WARNING < UNKNOWN < CRITICAL, so
 * that a target that could not be checked is never hidden behind a
 * warning, and a critical one is never hidden behind an unknown.
 */
CD_API cd_status cd_status_worst(cd_status a, cd_status b);

/* ------------------------------------------------------------------ */
/* Problem catalogue.  Append-only; the names are the stable JSON ids. */

enum cd_prob {
	CD_P_CERT_EXPIRED = 0,
	CD_P_CERT_NOT_YET_VALID,
	CD_P_CERT_EXPIRING,
	CD_P_HOSTNAME_MISMATCH,
	CD_P_SAN_MISSING,
	CD_P_CHAIN_UNTRUSTED,
	CD_P_CHAIN_INCOMPLETE,
	CD_P_CHAIN_ORDER,
	CD_P_CHAIN_ROOT_SENT,
	CD_P_SELF_SIGNED,
	CD_P_WEAK_SIGNATURE,
	CD_P_WEAK_KEY,
	CD_P_KEY_MISMATCH,
	CD_P_TLS_OLD_PROTOCOL,
	CD_P_OCSP_REVOKED,
	CD_P_DNS_FAILED,
	CD_P_CONNECT_FAILED,
	CD_P_TIMEOUT,
	CD_P_TLS_HANDSHAKE_FAILED,
	CD_P_CAA_FORBIDS_ISSUER,
	CD_P_CAA_CRITICAL_UNKNOWN,
	CD_P_CAA_DNS_ERROR,
	CD_P_CAA_MALFORMED_RECORD,
	CD_P_HTTP01_NO_ADDRESS,
	CD_P_HTTP01_CONNECT_TIMEOUT,
	CD_P_HTTP01_CONNECTION_REFUSED,
	CD_P_HTTP01_BAD_STATUS,
	CD_P_HTTP01_BODY_MISMATCH,
	CD_P_HTTP01_BODY_TOO_LARGE,
	CD_P_HTTP01_BAD_REDIRECT,
	CD_P_HTTP01_TOO_MANY_REDIRECTS,
	CD_P_HTTP01_REDIRECT_LOOP,
	CD_P_HTTP01_UNEXPECTED_STATUS,
	CD_P_INTERMEDIATE_EXPIRES_FIRST,
	CD_P_DNS_UNREACHABLE,
	CD_P_CHECK_ERROR,
	CD_P_CHAIN_EXTRA_CERT,
	CD_P_OCSP_STAPLE_INVALID,
	CD_P_HTTP01_WILDCARD,
	CD_P_HTTP01_DNS_ERROR,
	CD_P_HTTP01_CONNECTION_FAILED,
	CD_P_HTTP01_TIMEOUT,
	CD_P_HTTP01_TLS_ERROR,
	CD_P_HTTP01_SUSPICIOUS,
	CD_P_HTTP01_ADDRESS_DISCREPANCY,
	CD_P_ADDRESS_CERT_DIFFERS,
	CD_P_TLS_PROBE_FAILED,
	CD_P_TLS_NO_MODERN_PROTOCOL,
	CD_P_STARTTLS_REFUSED,
	CD_P_STARTTLS_FAILED,
	CD_P_OCSP_UNKNOWN,
	CD_P_OCSP_STALE,
	CD_P_OCSP_MUST_STAPLE_MISSING,
	CD_P_CRL_REVOKED,
	CD_P_CRL_UNAVAILABLE,
	CD_P_CRL_INVALID,
	CD_P_CRL_STALE,
	CD_P_CRL_TOO_LARGE,
	CD_P_CRL_NO_DISTRIBUTION_POINT,
	CD_P_DNSSEC_BOGUS,
	CD_P_NS_UNREACHABLE,
	CD_P_NS_LAME,
	CD_P_NS_INCONSISTENT,
	CD_P_NS_BAD_NEGATIVE,
	CD_P_NS_BAD_CAA_HANDLING,
	CD_P_NS_EDNS_BROKEN,
	CD_P_NS_CASE_MANGLED,
	CD_P_RESOLVER_DISAGREES,
	CD_P_CA_VIEW_UNAVAILABLE,
	CD_P_CA_VIEW_OFF,
	CD_P_CA_VIEW_STUB,
	CD_P_CRL_SKIPPED,
	CD_P_TLSALPN01_NO_ALPN,
	CD_P_TLSALPN01_BAD_CERT,
	CD_P_TLSALPN01_CONNECT_FAILED,
	CD_P_TLSALPN01_TIMEOUT,
	CD_P_TLSALPN01_DNS_ERROR,
	CD_P_DNS01_NO_TXT,
	CD_P_DNS01_WRONG_TXT,
	CD_P_DNS01_DNS_ERROR,
	CD_P_DNS01_NOT_PROPAGATED,
	CD_P_DNS01_CNAME_DANGLING,
	CD_P_DNSPERSIST_NO_RECORD,
	CD_P_DNSPERSIST_MALFORMED,
	CD_P_DNSPERSIST_ACCOUNT_MISMATCH,
	CD_P_DNSPERSIST_POLICY_MISMATCH,
	CD_P_DNSPERSIST_EXPIRED,
	CD_P_ISSUER_MISMATCH,
	CD_P_FINGERPRINT_MISMATCH,
	CD_P_VALIDITY_TOO_LONG,
	CD_P_PROXY_FAILED,
	CD_P_CLIENT_CERT_REQUIRED,
	CD_P_SCT_INSUFFICIENT,
	CD_P_DANE_MISMATCH,
	CD_P_DANE_UNSIGNED,
	CD_P_DANE_NO_RECORDS,
	CD_P__LAST		/* never use */
};

/* Stable snake_case id of code, e.g. "cert_expired"; NULL if out of range. */
CD_API const char *cd_problem_name(enum cd_prob code);

/* Default severity of code (CD_ST_OK for informational ones). */
CD_API cd_status cd_problem_default_sev(enum cd_prob code);

/* One-line description of what code means (for docs and --help). */
CD_API const char *cd_problem_summary(enum cd_prob code);

/* "cert_expiring" -> *out; CD_E_USAGE for an unknown code. */
CD_API cd_rc cd_problem_parse(const char *name, enum cd_prob *out,
    struct cd_err *err);

/* A finding.  Borrowed from its report. */
struct cd_problem {
	enum cd_prob code;
	cd_status severity;	/* after cd_opts severity */
	const char *message;	/* what is wrong, with the object named */
	const char *hint;	/* what to do about it; may be NULL */
	bool ignored;		/* cd_opts ignore: listed, not counted */
	cd_status severity_default;	/* before cd_opts severity */
};

/* ------------------------------------------------------------------ */
/* Thresholds: the Monitoring Plugins range grammar.                   */

struct cd_range {
	double start;
	double end;
	bool start_inf;		/* "~:" */
	bool end_inf;		/* "N:" or bare "N" with CD_RANGE_BARE_IS_MIN */
	bool inside;		/* "@": alert inside the range */
	bool percent;		/* "N%": start is a percentage, see below */
};

/*
 * A bare number means "alert above N" in the Nagios grammar (0:N).  For
 * "days left" thresholds the contract says a bare N means "fewer than N":
 * CD_RANGE_BARE_IS_MIN gives N: instead.  CD_RANGE_ALLOW_PCT accepts "N%",
 * stored as percent=true with start=N (a lower bound, like N:).
 */
#define CD_RANGE_BARE_IS_MIN 0x1
#define CD_RANGE_ALLOW_PCT 0x2

/* Parse s into *out.  CD_E_PARSE on bad syntax. */
CD_API cd_rc cd_range_parse(const char *s, unsigned flags,
    struct cd_range *out, struct cd_err *err);

/* True when value v raises an alert under r (r must not be a percent). */
CD_API bool cd_range_alerts(const struct cd_range *r, double v);

/* Render r in the range grammar ("21:", "~:10", "@10:20"); returns buf. */
CD_API char *cd_range_fmt(const struct cd_range *r, char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Targets.                                                             */

struct cd_target {
	char *input;		/* as given by the user */
	char *host;		/* IP literal (no brackets) or DNS name as typed */
	uint16_t port;
	bool host_is_ip;
	bool port_given;
};

/*
 * Parse "host", "host:port", "[v6]:port", a bare IPv6 address, or an
 * "https://host[:port]/..." URL.  default_port is used when none is given.
 * *out: caller frees with cd_target_free().  CD_E_PARSE with a message
 * naming the fault otherwise.
 */
CD_API cd_rc cd_target_parse(const char *s, uint16_t default_port,
    struct cd_target **out, struct cd_err *err);
CD_API void cd_target_free(struct cd_target *t);

/*
 * Check a --dns-server list "ADDR[:PORT][,ADDR[:PORT]...]" (IPv6 as
 * "[::1]:5353" or bare "::1").  On CD_OK, *csv (caller frees with free())
 * is the list normalised for the resolver.
 */
CD_API cd_rc cd_dnsservers_parse(const char *s, char **csv,
    struct cd_err *err);

/*
 * A domain name as an ACME identifier ("example.com", "*.example.com",
 * Unicode or A-label, trailing dot allowed) to lower-case A-label form
 * without the "*." (*wildcard says whether it was there).  *ace: caller
 * frees.  CD_E_PARSE when it is not a domain name.
 */
CD_API cd_rc cd_domain_parse(const char *in, bool allow_wildcard,
    char **ace, bool *wildcard, struct cd_err *err);

/*
 * An IP address as an ACME identifier (RFC 8738: "192.0.2.1", "2001:db8::1",
 * also "[2001:db8::1]") to the textual form the CA compares, *canon
 * (caller frees).  CD_E_PARSE when in is not an IP address.  http-01
 * and tls-alpn-01 validate IP identifiers; CAA and the DNS challenges
 * do not apply to them.
 */
CD_API cd_rc cd_ip_identifier_parse(const char *in, char **canon,
    struct cd_err *err);

/*
 * The values an ACME client hands over, checked before any traffic so a
 * typo is a usage error rather than a verdict: a key authorization is
 * TOKEN.THUMBPRINT, both base64url; a dns-01 TXT value is 43 base64url
 * characters (a SHA-256); an account URI is absolute (scheme://host...)
 * with no space or control character; an issuer domain name (a CA's,
 * as in CAA and dns-persist-01) normalises as the CA normalises it.
 * CD_E_USAGE saying why otherwise.
 */
CD_API cd_rc cd_acme_keyauth_check(const char *s, struct cd_err *err);
CD_API cd_rc cd_acme_txt_value_check(const char *s, struct cd_err *err);
CD_API cd_rc cd_acme_account_uri_check(const char *s, struct cd_err *err);
CD_API cd_rc cd_acme_issuer_check(const char *s, struct cd_err *err);

/* ------------------------------------------------------------------ */
/* STARTTLS: the plaintext preamble before the TLS handshake.          */

enum cd_starttls {
	CD_STARTTLS_NONE = 0,	/* TLS from the first byte */
	CD_STARTTLS_SMTP,	/* RFC 3207 */
	CD_STARTTLS_IMAP,	/* RFC 3501 / 9051 */
	CD_STARTTLS_POP3,	/* RFC 2595 */
	CD_STARTTLS_FTP,	/* RFC 4217 */
	CD_STARTTLS_XMPP,	/* RFC 6120, client-to-server */
	CD_STARTTLS_LDAP,	/* RFC 4511 StartTLS extended operation */
	CD_STARTTLS_POSTGRES	/* PostgreSQL SSLRequest */
};

/* certcheck's Certificate Transparency judgement (--ct). */
enum cd_ct_mode {
	CD_CT_AUTO = 0,		/* judge a leaf that carries SCTs */
	CD_CT_REQUIRED,		/* ... and one that carries none */
	CD_CT_OFF
};

/* "smtp", "imap", ... -> *out; CD_E_USAGE naming the valid ones. */
CD_API cd_rc cd_starttls_parse(const char *s, enum cd_starttls *out,
    struct cd_err *err);

/* "smtp", ...; NULL for CD_STARTTLS_NONE. */
CD_API const char *cd_starttls_name(enum cd_starttls p);

/* The protocol's usual port (smtp 25, ... postgres 5432; NONE: 443). */
CD_API uint16_t cd_starttls_port(enum cd_starttls p);

/* DANE (--dane): whether certcheck looks up TLSA records. */
enum cd_dane {
	CD_DANE_OFF = 0,
	CD_DANE_AUTO,		/* judge the records when there are some */
	CD_DANE_REQUIRED	/* no records is dane_no_records */
};

/* "auto" or "required" (CD_E_USAGE for anything else). */
CD_API cd_rc cd_dane_parse(const char *s, enum cd_dane *out,
    struct cd_err *err);

/* ------------------------------------------------------------------ */
/* Options and context.                                                */

/*
 * The options of a run, opaque so that new ones never break the ABI
 * (curl's setopt model).  Each is named CD_OPT_ and its long command-
 * line name (upper case, '-' as '_') and takes its value as the command
 * line writes it, NULL for a flag.  The numbers are part of the ABI:
 * append only.
 */
enum cd_opt {
	/* Every tool. */
	CD_OPT_TIMEOUT = 1,	/* seconds, fractions allowed */
	CD_OPT_IPV4 = 2,	/* flag */
	CD_OPT_IPV6 = 3,	/* flag */
	CD_OPT_DNS_SERVER = 4,	/* "ADDR[:PORT],..." */
	CD_OPT_VERBOSE = 5,	/* flag; each call adds a level */
	CD_OPT_IGNORE = 6,	/* "CODE,..."; each call adds to the list */
	CD_OPT_SEVERITY = 7,	/* "CODE:LEVEL,..."; each call adds */
	CD_OPT_ROOT_HINTS = 8,	/* the CA's resolver view: a zone file */
	CD_OPT_TRUST_ANCHOR = 9,	/* a file, or "none" */
	CD_OPT_NO_CA_VIEW = 10,	/* flag */
	/* certcheck */
	CD_OPT_WARNING = 11,	/* days or N% */
	CD_OPT_CRITICAL = 12,
	CD_OPT_SNI = 13,
	CD_OPT_CONNECT_TO = 14,
	CD_OPT_CAFILE = 15,
	CD_OPT_REQUIRE_SAN = 16,
	CD_OPT_CERT = 17,	/* the file cd_certcheck_file() reads */
	CD_OPT_KEY = 18,
	CD_OPT_NAME = 19,
	CD_OPT_ALL_ADDRESSES = 20,	/* flag; http01check too */
	CD_OPT_PROTOCOLS = 21,	/* flag */
	CD_OPT_STARTTLS = 22,
	CD_OPT_CRL = 23,	/* flag */
	CD_OPT_ALLOW_RESERVED = 24,	/* flag; every prober */
	CD_OPT_ISSUER = 25,
	CD_OPT_FINGERPRINT = 26,
	CD_OPT_MAX_VALIDITY = 27,
	CD_OPT_PROXY = 28,	/* http01check too */
	CD_OPT_CLIENT_CERT = 29,
	CD_OPT_CLIENT_KEY = 30,
	CD_OPT_PASSWORD_FILE = 31,	/* its first line is the password */
	CD_OPT_CT = 32,		/* auto, required or off */
	CD_OPT_CT_LOGS = 33,
	CD_OPT_DANE = 34,	/* auto or required; NULL: auto */
	/* caacheck, dns01check */
	CD_OPT_CA = 35,
	CD_OPT_ACCOUNT_URI = 36,
	CD_OPT_METHOD = 37,
	/* http01check, dns01check */
	CD_OPT_TOKEN = 38,
	CD_OPT_EXPECT = 39,
	CD_OPT_WEBROOT = 40,
	CD_OPT_HTTP_PORT = 41,
	CD_OPT_HTTPS_PORT = 42,
	/* tlsalpn01check, dns01check */
	CD_OPT_KEY_AUTHORIZATION = 43,
	CD_OPT_PORT = 44,	/* tlsalpn01check: the port for 443 */
	CD_OPT__COUNT		/* never use */
};

struct cd_opts;

/* The defaults of the contract; NULL on ENOMEM. */
CD_API struct cd_opts *cd_opts_new(void);
CD_API void cd_opts_free(struct cd_opts *o);

/*
 * Set opt from value as the command line writes it (NULL for a flag).
 * CD_E_USAGE when the value is refused, with the message the tools
 * print (cd_opts_error()); CD_E_NOMEM.  A refused value changes
 * nothing.
 */
CD_API cd_rc cd_opts_set(struct cd_opts *o, enum cd_opt opt,
    const char *value);

/* The message of the last refused cd_opts_set() on o, or "". */
CD_API const char *cd_opts_error(const struct cd_opts *o);

/*
 * The value opt was last given, as given ("" for a flag; the whole list
 * for CD_OPT_IGNORE and CD_OPT_SEVERITY), or NULL when it was not set.
 * Borrowed until the next cd_opts_set() of opt or cd_opts_free().
 */
CD_API const char *cd_opts_get(const struct cd_opts *o, enum cd_opt opt);

/*
 * The option called name, its long command-line name with '-' or '_'
 * ("connect-to", "connect_to"): CD_E_USAGE when there is none.
 */
CD_API cd_rc cd_opt_lookup(const char *name, enum cd_opt *out);

/* The long command-line name of opt ("connect-to"), or NULL. */
CD_API const char *cd_opt_name(enum cd_opt opt);

/* Check a cd_opts fingerprints list as cd_ctx_new() does: CD_E_USAGE
 * naming the malformed item. */
CD_API cd_rc cd_fingerprints_check(const char *list, struct cd_err *err);

/* Check cd_opts ignore and severity (either may be NULL) as
 * cd_ctx_new() does: CD_E_USAGE naming the fault. */
CD_API cd_rc cd_policy_check(const char *ignore, const char *severity,
    struct cd_err *err);


/*
 * Shared, read-only state for many checks: the options (copied: o may
 * be freed or changed afterwards) and the trust store, loaded once.
 * Safe to use from several threads at once.
 */
struct cd_ctx;

/* CD_E_IO when the trust store cannot be read, CD_E_USAGE on bad opts. */
CD_API cd_rc cd_ctx_new(const struct cd_opts *o, struct cd_ctx **out,
    struct cd_err *err);
CD_API void cd_ctx_free(struct cd_ctx *ctx);

/* Library-wide initialisation; call once before anything else. */
CD_API cd_rc cd_global_init(struct cd_err *err);
CD_API void cd_global_cleanup(void);

/* Run-time version string, e.g. "0.1.0". */
CD_API const char *cd_version(void);

/* ------------------------------------------------------------------ */
/* Reports.                                                             */

struct cd_report;

CD_API void cd_report_free(struct cd_report *r);
/*
 * The report of a check that had no answer by a deadline of the caller's
 * own, shorter than the check's (an exporter answering within the
 * scraper's timeout): status CRITICAL, problem timeout, in every format
 * as the tools report a check that ran out of time.  check names the
 * check as the Prometheus format's check label does ("cert", "caa",
 * "http01", "dns01", "tlsalpn01"; CD_E_USAGE otherwise); seconds is how
 * long it was given.  *out: caller frees with cd_report_free().
 */
CD_API cd_rc cd_report_timeout_new(const char *check, const char *target,
    double seconds, struct cd_report **out, struct cd_err *err);
/* Derived: the worst severity among the problems not ignored. */
CD_API cd_status cd_report_status(const struct cd_report *r);
CD_API const char *cd_report_target(const struct cd_report *r);
CD_API const char *cd_report_service(const struct cd_report *r);
CD_API size_t cd_report_nproblems(const struct cd_report *r);
/* Borrowed; i < cd_report_nproblems(). */
CD_API const struct cd_problem *cd_report_problem(const struct cd_report *r,
    size_t i);

/*
 * Any field of a report by its path in the JSON form (cd_fmt_write_one()
 * with CD_FMT_JSON; the tools' --format=json): member names and array
 * indexes (from 0) joined by dots, as "days_left", "chain.0.subject",
 * "chain.1.not_after", "verify.trusted", "records.2.value",
 * "problems.0.code" or "protocols.TLSv1.2" (a name may hold dots).  The
 * fields and their types are those of the tool's JSON Schema, installed
 * as DATADIR/certdiag/schema/TOOL.schema.json.  Safe to call from
 * several threads on one report; the first call builds the JSON tree
 * once and keeps it with the report until cd_report_free() (or
 * cd_report_compact(), which drops it with the detail).  Only this
 * report is read, not the ones cd_report_next() links.
 *
 * cd_report_get_number: 0 and *out set when the field is a number
 * (booleans read as 1 for true, 0 for false); -1, *out untouched, when
 * it is absent, null or of another type.
 */
CD_API int cd_report_get_number(const struct cd_report *r, const char *path,
    double *out);
/*
 * The string at path, or NULL when absent, null or not a string.
 * Borrowed: valid while r lives.
 */
CD_API const char *cd_report_get_string(const struct cd_report *r,
    const char *path);
/* The number of elements of the array at path; 0 when absent or not an
 * array (so a loop "i < count" reads nothing). */
CD_API size_t cd_report_get_count(const struct cd_report *r,
    const char *path);

/*
 * certcheck --all-addresses gives one report per address of a target,
 * linked from the first: the next one, borrowed, or NULL.  The formatters
 * write every report of the list, cd_reports_worst() counts them all and
 * cd_report_free() frees the whole list.
 */
CD_API const struct cd_report *cd_report_next(const struct cd_report *r);
/*
 * Drop what only a per-target block needs (the detail fields, long-text
 * notes, hints) from every report of the list, keeping target, address,
 * status, summary, problems and perfdata: all a multi-target Nagios line
 * uses.  A batch that must print a summary first keeps thousands of
 * reports; this keeps them small.
 */
CD_API void cd_report_compact(struct cd_report *r);

/* ------------------------------------------------------------------ */
/* Checks.  A check returns CD_OK and a report whenever it could make up */
/* its mind about the target, even if the target is broken.           */

/*
 * certcheck on one remote target ("host", "host:port", URL...).  *out:
 * caller frees with cd_report_free().  Errors only for resource failures;
 * a malformed target gives a report with status UNKNOWN.
 */
CD_API cd_rc cd_certcheck_run(const struct cd_ctx *ctx, const char *target,
    struct cd_report **out, struct cd_err *err);

/*
 * certcheck on local files: ctx's opts cert_file (a PEM bundle), key_file
 * and name.  CD_E_IO / CD_E_PARSE when the files cannot be read.
 */
CD_API cd_rc cd_certcheck_file(const struct cd_ctx *ctx,
    struct cd_report **out, struct cd_err *err);

/*
 * certcheck on the local file path (PEM, DER or PKCS#12 with ctx's opts
 * pkcs12_password), with ctx's opts key_file and name: the report's
 * target is path.  A file that cannot be read or holds no certificate
 * is a report with check_error (UNKNOWN), so a batch of files goes on.
 */
CD_API cd_rc cd_certcheck_file_run(const struct cd_ctx *ctx,
    const char *path, struct cd_report **out, struct cd_err *err);

/*
 * What certcheck --cert checks for path: path itself, or, for a
 * directory, every certificate file under it (*.pem, *.crt, *.cer,
 * *.der, *.p12, *.pfx; not *key.pem), in name order, where a directory
 * holding fullchain.pem (certbot's live/NAME) counts as that file alone.
 * A directory with none is listed as itself.  *out: n paths, the caller
 * frees each and the array with free().
 */
CD_API cd_rc cd_certfiles_list(const char *path, char ***out, size_t *n,
    struct cd_err *err);

/*
 * caacheck on one domain ("example.com" or "*.example.com"): would the CA
 * in ctx's opts (ca, account_uri, method) be allowed to issue, as Let's
 * Encrypt decides it?  *out: caller frees with cd_report_free().
 */
CD_API cd_rc cd_caacheck_run(const struct cd_ctx *ctx, const char *domain,
    struct cd_report **out, struct cd_err *err);

/*
 * http01check on one domain: is http://DOMAIN/.well-known/acme-challenge/
 * TOKEN reachable the way the CA's validator fetches it (ctx's opts token,
 * expect, webroot, ports...)?  *out: caller frees with cd_report_free().
 * With a webroot, CD_E_USAGE/CD_E_IO when the token file cannot be
 * written safely (nothing is left behind).
 */
CD_API cd_rc cd_http01check_run(const struct cd_ctx *ctx,
    const char *domain, struct cd_report **out, struct cd_err *err);

/*
 * tlsalpn01check on one domain: would the CA's tls-alpn-01 validation
 * (RFC 8737) succeed?  It connects as the CA does (port 443 or ctx's
 * opts tls_port, IPv6 first, TLS 1.2+, ALPN acme-tls/1, SNI = the name)
 * and, with opts key_authorization, judges the challenge certificate
 * as the CA judges it.  *out: caller frees with cd_report_free().
 */
CD_API cd_rc cd_tlsalpn01check_run(const struct cd_ctx *ctx,
    const char *domain, struct cd_report **out, struct cd_err *err);

/*
 * dns01check on one domain ("example.com" or "*.example.com"): would
 * the CA's dns-01 or dns-account-01 validation (ctx's opts method,
 * account_uri) find the TXT value (opts key_authorization hashed as
 * the CA does, or opts expect) at the challenge name, through the
 * CA's resolver, and does every authoritative server of the zone that
 * holds it serve the same?  *out: caller frees with cd_report_free().
 */
CD_API cd_rc cd_dns01check_run(const struct cd_ctx *ctx,
    const char *domain, struct cd_report **out, struct cd_err *err);

/* ------------------------------------------------------------------ */
/* Batch: run a check over many targets, jobs at a time.              */

typedef cd_rc (*cd_check_fn)(const struct cd_ctx *ctx, const char *target,
    struct cd_report **out, struct cd_err *err);

/*
 * Called once per target as soon as its report is ready (in completion
 * order), from the calling thread.  The callback owns report.
 */
typedef void (*cd_batch_cb)(void *arg, size_t index,
    struct cd_report *report);

CD_API cd_rc cd_batch_run(const struct cd_ctx *ctx, cd_check_fn fn,
    const char *const *targets, size_t n, unsigned jobs, cd_batch_cb cb,
    void *arg, struct cd_err *err);

/* ------------------------------------------------------------------ */
/* Display safety.                                                     */

/*
 * A copy of s[0..len) safe to print on a terminal (caller frees; NULL
 * on ENOMEM): control characters (C0, DEL, C1), bidirectional controls
 * (U+061C, U+200E/F, U+202A..U+202E, U+2066..U+2069) and bytes that are
 * not valid UTF-8 become \xHH; everything else, backslashes included,
 * is kept.  For any string a peer or a file controls.
 */
CD_API char *cd_escape_display(const char *s, size_t len);

/* ------------------------------------------------------------------ */
/* Cancellation: a program told to stop (a signal, a user's click).    */

/*
 * Stop every check of the process: no batch starts another target, no
 * check writes another token file (http01check --webroot), and network
 * waits end soon (DNS and TLS within 100 ms, an HTTP fetch within about
 * a second, libcurl's pace).  Async-signal-safe:
 * it only sets a flag, so a signal handler may call it.  There is no
 * undo; the process is expected to end.
 */
CD_API void cd_cancel(void);

/* True once cd_cancel() has been called. */
CD_API bool cd_cancelled(void);

/*
 * Remove every file, and every directory made for it, that running
 * checks have written and not yet removed (the --webroot token files),
 * at once, without waiting for the checks.  Call it after cd_cancel()
 * from an ordinary thread (it takes a lock: not from a signal handler),
 * for example a thread that sigwait()s.
 */
CD_API void cd_cancel_cleanup(void);

/* ------------------------------------------------------------------ */
/* Output: pure formatters of reports to a stream.                     */

enum cd_format {
	CD_FMT_TEXT = 0,
	CD_FMT_JSON = 1,
	CD_FMT_NAGIOS = 2,
	CD_FMT_PROMETHEUS = 3
};

#define CD_FMT_COLOR 0x1	/* ANSI colour in text output */
#define CD_FMT_VERBOSE 0x2	/* every detail in text output */

/* "text", "json", "nagios", "prometheus" -> *out; CD_E_USAGE otherwise. */
CD_API cd_rc cd_format_parse(const char *s, enum cd_format *out,
    struct cd_err *err);

/*
 * Write one report as text (a block) or JSON (one line).  Streams: call as
 * each report arrives.  CD_E_USAGE for CD_FMT_NAGIOS and
 * CD_FMT_PROMETHEUS (they need them all).
 */
CD_API cd_rc cd_fmt_write_one(enum cd_format fmt, const struct cd_report *r,
    FILE *fp, unsigned flags, struct cd_err *err);

/*
 * Nagios plugin output for n reports: one summary line with perfdata for
 * the worst status, then long text.  n must be >= 1.
 */
CD_API cd_rc cd_fmt_nagios(const struct cd_report *const *r, size_t n,
    FILE *fp, struct cd_err *err);

/*
 * Prometheus text exposition (0.0.4, for node_exporter's textfile
 * collector) of n reports: each metric family once, its samples
 * labelled with the target (and the address under --all-addresses).
 * blackbox_exporter's names where one exists (probe_success,
 * probe_ssl_earliest_cert_expiry...), certdiag_* otherwise.  n >= 1.
 */
CD_API cd_rc cd_fmt_prometheus(const struct cd_report *const *r, size_t n,
    FILE *fp, struct cd_err *err);

/*
 * The same, a report at a time: cd_prom_batch_add() turns a report (and
 * those linked from it) into its samples at once, so the caller may
 * free it; cd_prom_batch_write() writes every family at the end
 * (CD_E_USAGE when no report was added).  A report whose target (and
 * address) an earlier one had is left out.
 */
struct cd_prom_batch;

CD_API cd_rc cd_prom_batch_new(struct cd_prom_batch **out,
    struct cd_err *err);
CD_API cd_rc cd_prom_batch_add(struct cd_prom_batch *b,
    const struct cd_report *r, struct cd_err *err);
CD_API cd_rc cd_prom_batch_write(struct cd_prom_batch *b, FILE *fp,
    struct cd_err *err);
CD_API void cd_prom_batch_free(struct cd_prom_batch *b);

/*
 * Worst status of n reports, and of the reports linked from them (see
 * cd_report_next()), by cd_status_worst().
 */
CD_API cd_status cd_reports_worst(const struct cd_report *const *r, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* CERTDIAG_H */
