/*
 * dnsmsg.h - walking a raw DNS response.  c-ares 1.18 has no generic
 * record parser and its CAA parser rejects a valid empty value and hides
 * owner names, so the answer section is walked here; names are still
 * decompressed by c-ares (ares_expand_name).
 */
#ifndef CD_DNSMSG_H
#define CD_DNSMSG_H

#include "cd_internal.h"

/* One CAA record as received (RFC 8659 4.1). */
struct cd_caa_rr {
	unsigned flags;
	char *tag;		/* as received (case kept) */
	char *value;		/* as received; may hold any byte but NUL */
	size_t value_len;
};

#define CD_DNS_T_A 1
#define CD_DNS_T_NS 2
#define CD_DNS_T_CNAME 5
#define CD_DNS_T_SOA 6
#define CD_DNS_T_TXT 16
#define CD_DNS_T_AAAA 28
#define CD_DNS_T_OPT 41
#define CD_DNS_T_DNSKEY 48
#define CD_DNS_T_TLSA 52
#define CD_DNS_T_CAA 257

/* EDNS option code of an Extended DNS Error (RFC 8914). */
#define CD_EDNS_EDE 15

/* One TLSA record (RFC 6698): usage, selector, matching type, data. */
struct cd_tlsa_rr {
	unsigned char usage;
	unsigned char selector;
	unsigned char mtype;
	unsigned char *data;
	size_t len;
};

struct cd_dnsmsg {
	unsigned rcode;		/* header RCODE */
	bool tc;		/* truncated */
	bool aa;
	bool ad;		/* the server says it validated the answer */
	char *qname;		/* the question as echoed, letter case kept */
	unsigned nanswer;	/* records in the answer section */
	struct cd_caa_rr *caa;	/* CAA records of the answer section */
	size_t ncaa;
	char **cname_from;	/* CNAME owner -> target pairs, in order */
	char **cname_to;
	size_t ncname;
	char **txt;		/* TXT records of the answer section, each
				 * record's character-strings joined (as
				 * the CA compares them) */
	size_t ntxt;
	struct cd_tlsa_rr *tlsa;	/* TLSA records of the answer section */
	size_t ntlsa;
	char **ns;		/* NS targets in the answer section */
	size_t nns;
	char **auth_ns;		/* NS targets in the authority section */
	size_t nauth_ns;	/* (a referral) */
	bool soa_in_authority;	/* a negative answer that names its zone */
	bool edns;		/* an OPT record came back */
	int ede;		/* Extended DNS Error info code, or -1 */
	char *ede_text;		/* its EXTRA-TEXT (may be NULL) */
};

/*
 * Walk abuf[0..len).  CD_E_PARSE for a malformed message (the reason in
 * err), CD_E_NOMEM.  Caller clears with cd_dnsmsg_clear().
 */
cd_rc cd_dnsmsg_parse(const unsigned char *abuf, size_t len,
    struct cd_dnsmsg *out, struct cd_err *err);
void cd_dnsmsg_clear(struct cd_dnsmsg *m);

/* "NOERROR", "SERVFAIL", ... or "RCODE13". */
const char *cd_dns_rcode_name(unsigned rcode, char *buf, size_t len);

void cd_caa_rr_clear(struct cd_caa_rr *rr);

/* The record as a zone file writes it: 0 issue "letsencrypt.org". */
char *cd_caa_rr_text(const struct cd_caa_rr *rr);

#endif
