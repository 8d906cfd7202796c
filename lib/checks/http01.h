/*
 * http01.h - shared between the http-01 fetch (check_http01.c) and its
 * judgement (http01_judge.c).
 */
#ifndef CD_HTTP01_H
#define CD_HTTP01_H

#include "http.h"
#include "report.h"

/* The CA reads 128 bytes; we read more only to recognise signatures. */
#define CD_H01_CA_BODY 128
#define CD_H01_MAX_HOPS 13

struct cd_h01_hop {
	char *url;
	char addr[46];
	long status;
	char *location;
};

/* One fetch from one starting address, as the CA makes it. */
struct cd_h01_attempt {
	char addr[46];
	struct cd_h01_hop hops[CD_H01_MAX_HOPS];
	size_t nhops;
	bool dial_error;	/* TCP connect failed: the CA tries IPv4 */
	enum cd_prob code;	/* the problem, when failed */
	bool failed;
	char *message;		/* the CA's words, "<ip>: ..." */
	long status;		/* final status */
	char *server;		/* final Server: header */
	struct cd_http_resp final;	/* final response (body) */
	bool body_matches;
	double seconds;		/* every hop's fetch, added up */
};

void cd_h01_attempt_clear(struct cd_h01_attempt *a);

/* Set the attempt's failure (code and message); returns false. */
bool cd_h01_fail(struct cd_h01_attempt *a, enum cd_prob code,
    const char *fmt, ...) CD_PRINTF(3, 4);

/*
 * Judge the final response of a: status, body against expect (NULL: no
 * key authorization known), Let's Debug's signatures.
 */
void cd_h01_judge(struct cd_h01_attempt *a, const char *expect);

/* Add a's finding (and signature warnings) to r. */
void cd_h01_report(struct cd_report *r, const struct cd_h01_attempt *a,
    const char *expect);

/* body[0..len) without trailing Unicode white space: its new length. */
size_t cd_h01_trim_len(const unsigned char *body, size_t len);

/* The attempt as JSON {"address","hops":[...],"result"}. */
json_t *cd_h01_attempt_json(const struct cd_h01_attempt *a);

#endif
