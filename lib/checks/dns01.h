/*
 * dns01.h - the values the CA derives for dns-01 and dns-account-01:
 * the TXT digest of a key authorization, the account label, and its
 * wording of a record it rejects.
 */
#ifndef CD_DNS01_H
#define CD_DNS01_H

#include <stddef.h>

#include "cd_internal.h"

/* base64url(SHA-256(keyauth)), no padding: 43 characters.  NULL: ENOMEM. */
char *cd_dns01_digest(const char *keyauth);

/*
 * "_<label>._acme-challenge.<name>" for dns-account-01, label the first
 * 10 bytes of SHA-256(account_uri) in lower-case base32; with account_uri
 * NULL, "_acme-challenge.<name>".  NULL: ENOMEM.
 */
char *cd_dns01_challenge_name(const char *name, const char *account_uri);

/*
 * The record as the CA quotes it (Go's %q over at most 100 bytes, "..."
 * after a cut): "\"abc\"".  NULL: ENOMEM.
 */
char *cd_dns01_quote(const char *value);

#endif
